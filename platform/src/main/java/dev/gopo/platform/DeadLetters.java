package dev.gopo.platform;

import dev.gopo.avro.DeadLetter;
import java.nio.ByteBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Builds {@link DeadLetter} records with the coordinates and payload of the rejected record. */
public final class DeadLetters {
    private DeadLetters() {
    }

    public static DeadLetter of(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, String detail, String worker) {
        return of(record.topic(), record.partition(), record.offset(), record.key(), record.value(), reason, detail, worker);
    }

    public static DeadLetter of(String topic, Integer partition, Long offset, String key, byte[] payload,
                                DeadLetterReason reason, String detail, String worker) {
        return DeadLetter.newBuilder()
                .setSourceTopic(topic)
                .setPartition(partition)
                .setOffset(offset)
                .setKey(key)
                .setReason(reason.name())
                .setDetail(detail)
                .setWorker(worker)
                .setPayload(payload == null ? null : ByteBuffer.wrap(payload))
                .setTimestampMs(System.currentTimeMillis())
                .build();
    }
}
