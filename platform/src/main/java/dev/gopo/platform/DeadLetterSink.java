package dev.gopo.platform;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Where a worker sends a consumed record it rejects. {@link RecordPublisher} is the one a worker
 * uses; tests pass a lambda that collects the rejections.
 */
@FunctionalInterface
public interface DeadLetterSink {
    /** Dead-letters {@code record} for {@code reason}; {@code detail} says what was wrong and, where it helps, how to fix it. */
    void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, String detail);
}
