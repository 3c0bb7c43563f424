package dev.gopo.ranker.state;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code src/main/avro} (no registry: writer and reader schema are the compiled one). A newer
 * ranker that changes a schema bumps {@link #FORMAT_VERSION} and keeps reading the old one, so a
 * changelog written by the previous release still restores.
 *
 * <p>Not thread-safe (buffers are reused); each processor instance has its own.
 */
final class StateCodec<T extends SpecificRecord> {
    static final byte FORMAT_VERSION = 1;

    private final Class<T> type;
    private final SpecificDatumWriter<T> writer;
    private final SpecificDatumReader<T> reader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    private BinaryEncoder encoder;
    private BinaryDecoder decoder;

    StateCodec(Class<T> type) {
        this.type = type;
        Schema schema = SpecificData.get().getSchema(type);
        this.writer = new SpecificDatumWriter<>(schema);
        this.reader = new SpecificDatumReader<>(schema);
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
        if (bytes.length == 0 || bytes[0] != FORMAT_VERSION) {
            throw new IllegalStateException("ranker state " + type.getSimpleName() + " has format version "
                    + (bytes.length == 0 ? "none" : Byte.toString(bytes[0])) + ", this ranker reads version " + FORMAT_VERSION
                    + ": it was written by a different ranker release; run that release or reset the application (kafka-streams-application-reset)");
        }
        decoder = DecoderFactory.get().binaryDecoder(bytes, 1, bytes.length - 1, decoder);
        try {
            return reader.read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("ranker state " + type.getSimpleName() + " is corrupt: " + e, e);
        }
    }
}
