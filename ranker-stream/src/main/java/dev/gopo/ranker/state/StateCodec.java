package dev.gopo.ranker.state;

import dev.gopo.ranker.state.avro.StoredCompletion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Store values: one format-version byte, then the Avro binary encoding of a private schema from
 * {@code src/main/avro} (no registry: the writer schema is the one compiled into the release that
 * wrote it). A newer ranker that changes a schema bumps {@link #FORMAT_VERSION} and keeps reading
 * the old one, so a changelog written by the previous release still restores.
 *
 * <p>Formats: 1 = the first release; 2 = {@code StoredCompletion} gained {@code policyStep} and
 * {@code temperature} (with defaults; the other values are unchanged). Format-1 values are read
 * with their original writer schema (kept under {@code resources/dev/gopo/ranker/state/format1/})
 * resolved against the current one, so the new fields take their defaults.
 *
 * <p>Not thread-safe (buffers are reused); each processor instance has its own.
 */
final class StateCodec<T extends SpecificRecord> {
    static final byte FORMAT_VERSION = 2;
    /** Types whose format-1 schema differs from the current one, and the resource holding it. */
    private static final Map<Class<?>, String> FORMAT_1_SCHEMAS = Map.of(StoredCompletion.class, "format1/StoredCompletion.avsc");

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final SpecificDatumReader<T> format1Reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    StateCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
        String format1 = FORMAT_1_SCHEMAS.get(type);
        this.format1Reader = format1 == null ? reader : new SpecificDatumReader<>(loadSchema(format1), schema);
    }

    private static Schema loadSchema(String resource) {
        try (InputStream in = StateCodec.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("ranker state schema resource " + resource + " is missing from the ranker jar");
            }
            return new Schema.Parser().parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ranker state schema " + resource, e);
        }
    }

    byte[] encode(T value) {
        out.reset();
        out.write(FORMAT_VERSION);
        // buffered, not direct: the direct encoder writes array elements to the stream one synchronized call at a time
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(value, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode ranker state " + type.getSimpleName(), e);
        }
        return out.toByteArray();
    }

    T decode(byte[] bytes) {
        SpecificDatumReader<T> chosen;
        if (bytes.length > 0 && bytes[0] == FORMAT_VERSION) {
            chosen = reader;
        } else if (bytes.length > 0 && bytes[0] == 1) {
            chosen = format1Reader;
        } else {
            throw new IllegalStateException("ranker state " + type.getSimpleName() + " has format version "
                    + (bytes.length == 0 ? "none" : Byte.toString(bytes[0])) + ", this ranker reads versions 1 and " + FORMAT_VERSION
                    + ": it was written by a different ranker release; run that release or reset the application (kafka-streams-application-reset)");
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, decoder);
        try {
            return chosen.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("ranker state " + type.getSimpleName() + " is corrupt: " + e, e);
        }
    }
}
