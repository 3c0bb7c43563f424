package dev.gopo.schemas.serde;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes raw consumed values with a deserializer, turning any failure into a
 * {@link RecordDecodeException} that names topic, partition and offset. Workers consume bytes and
 * decode through this so a bad record can be dead-lettered with its coordinates instead of
 * stopping the consumer. A {@link SchemaUnavailableException} (the registry, not the record, failed) is not wrapped:
 * it passes through so that nobody dead-letters a record that may be good.
 */
public final class RecordDecoder<V> {
    private final Deserializer<V> deserializer;

    public RecordDecoder(Deserializer<V> deserializer) {
        this.deserializer = deserializer;
    }

    public V decode(ConsumerRecord<?, byte[]> record) {
        if (record.value() == null) {
            throw new RecordDecodeException(record.topic(), record.partition(), record.offset(),
                    "value is null (tombstone); this topic carries no tombstones", null);
        }
        try {
            return deserializer.deserialize(record.topic(), record.headers(), record.value());
        } catch (SerializationException e) {
            throw new RecordDecodeException(record.topic(), record.partition(), record.offset(), e.getMessage(), e);
        }
    }
}
