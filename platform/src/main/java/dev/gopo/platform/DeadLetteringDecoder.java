package dev.gopo.platform;

import dev.gopo.schemas.serde.RecordDecodeException;
import dev.gopo.schemas.serde.RecordDecoder;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Decodes a consumed record or dead-letters it: the step every worker takes first with each record
 * it reads. A record that cannot be decoded (a tombstone, bytes that are not Confluent-wire-format
 * Avro for the topic's type, an unknown schema id) goes to the sink as
 * {@link DeadLetterReason#UNDECODABLE}, with the {@link RecordDecodeException}'s message (which names
 * topic, partition and offset) as detail, and the worker moves on to the next record instead of
 * stopping its consumer.
 *
 * @param <V> the topic's value type
 */
public final class DeadLetteringDecoder<V> {
    private final RecordDecoder<V> decoder;
    private final DeadLetterSink deadLetters;

    /**
     * @param deserializer the topic's value deserializer, e.g. {@code topics.prompts().valueSerde().deserializer()}
     * @param deadLetters  where undecodable records go, usually the worker's {@link RecordPublisher}
     */
    public DeadLetteringDecoder(Deserializer<V> deserializer, DeadLetterSink deadLetters) {
        this.decoder = new RecordDecoder<>(deserializer);
        this.deadLetters = deadLetters;
    }

    /** The record's value, or empty when it could not be decoded and was dead-lettered. */
    public Optional<V> decode(ConsumerRecord<String, byte[]> record) {
        try {
            return Optional.of(decoder.decode(record));
        } catch (RecordDecodeException e) {
            deadLetters.deadLetter(record, DeadLetterReason.UNDECODABLE, e.getMessage());
            return Optional.empty();
        }
    }
}
