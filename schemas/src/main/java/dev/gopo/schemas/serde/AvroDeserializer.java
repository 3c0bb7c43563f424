package dev.gopo.schemas.serde;

import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.registry.SchemaRegistryException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-wire-format Avro into a specific record class: fetches the writer schema by the
 * id in the header (cached) and resolves it against the class's reader schema, so records written
 * with an older or newer backward-compatible schema still decode.
 *
 * <p>Bad input (bytes that are not the wire format, a schema id the registry does not know, a corrupt payload) throws
 * {@link SerializationException} naming the topic and the cause; a consumer that knows partition and offset wraps it
 * (see {@link RecordDecoder}). A writer schema that cannot be fetched for another reason (registry unreachable, 5xx,
 * 401) throws {@link SchemaUnavailableException} instead: the record may be good and must not be dead-lettered.
 */
public final class AvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {
    private final SchemaRegistry registry;
    private final Class<T> type;
    private final Schema readerSchema;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();

    public AvroDeserializer(SchemaRegistry registry, Class<T> type) {
        this.registry = registry;
        this.type = type;
        this.readerSchema = SpecificData.get().getSchema(type);
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        int id = WireFormat.readSchemaId(topic, data);
        SpecificDatumReader<T> reader;
        try {
            reader = readers.computeIfAbsent(id, i -> new SpecificDatumReader<>(registry.getById(i), readerSchema));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                throw new SerializationException("record on topic '" + topic + "': unknown schema id " + id + ": " + e.getMessage(), e);
            }
            // Not the record's fault (registry away, 5xx, auth): must not look like bad bytes, or it gets dead-lettered.
            throw new SchemaUnavailableException("record on topic '" + topic + "': cannot fetch writer schema id " + id
                    + (e.isTransient() ? " now" : "") + ": " + e.getMessage(), id, e);
        }
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE, data.length - WireFormat.HEADER_SIZE, null);
            T value = reader.read(null, decoder);
            if (!decoder.isEnd()) {
                throw new IOException((data.length - WireFormat.HEADER_SIZE) + " payload bytes but the record ended early: trailing bytes");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("record on topic '" + topic + "' with schema id " + id + " is not a valid "
                    + type.getSimpleName() + " (truncated or corrupt Avro payload): " + e, e);
        }
    }
}
