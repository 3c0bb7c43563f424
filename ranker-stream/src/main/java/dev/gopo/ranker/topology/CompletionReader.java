package dev.gopo.ranker.topology;

import dev.gopo.avro.Completion;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.registry.SchemaRegistryException;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

/**
 * Reads completions (Confluent wire format) into {@link IncomingCompletion}s.
 *
 * <p>Fast path: when the writer schema of the record's id is the current {@code Completion} schema (the
 * normal case), the bytes are scanned in place ({@link IncomingCompletion#scan}) and nothing but a few
 * scalars and strings is decoded. Otherwise — an older or newer writer schema, or bytes the scan refuses —
 * the registry-backed {@link AvroDeserializer} decodes and resolves the record as before (so an
 * undecodable record is reported with the same message), and the result is encoded once with the current
 * schema and scanned. Not thread-safe: one per processor instance.
 */
final class CompletionReader implements InputDecoder.Decode<IncomingCompletion> {
    private static final Schema SCHEMA = Completion.getClassSchema();

    private final SchemaRegistry registry;
    private final AvroDeserializer<Completion> generic;
    /** Schema id -> whether its writer schema is the current one; only successful look-ups are cached. */
    private final Map<Integer, Boolean> current = new HashMap<>();
    private final SpecificDatumWriter<Completion> writer = new SpecificDatumWriter<>(SCHEMA);
    private BinaryEncoder encoder;

    CompletionReader(SchemaRegistry registry) {
        this.registry = registry;
        this.generic = new AvroDeserializer<>(registry, Completion.class);
    }

    @Override
    public IncomingCompletion decode(String topic, Headers headers, byte[] raw) {
        int id = WireFormat.readSchemaId(topic, raw);
        if (isCurrent(id)) {
            try {
                return IncomingCompletion.scan(raw, WireFormat.HEADER_SIZE);
            } catch (IllegalArgumentException | ArithmeticException malformed) {
                // the generic decoder below explains what is wrong with the bytes (UNDECODABLE) in its own words
            }
        }
        Completion c = generic.deserialize(topic, headers, raw);
        return IncomingCompletion.scan(encode(c), 0);
    }

    private boolean isCurrent(int id) {
        Boolean known = current.get(id);
        if (known != null) {
            return known;
        }
        boolean same;
        try {
            same = SCHEMA.equals(registry.getById(id));
        } catch (SchemaRegistryException e) {
            return false; // not cached: the generic decoder reports the failure, and a later record asks again
        }
        current.put(id, same);
        return same;
    }

    private byte[] encode(Completion c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        encoder = EncoderFactory.get().binaryEncoder(out, encoder);
        try {
            writer.write(c, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot re-encode a decoded completion", e);
        } catch (RuntimeException e) {
            throw new SerializationException("completion of group " + c.getGroupId() + " cannot be encoded with the current schema: " + e, e);
        }
        return out.toByteArray();
    }
}
