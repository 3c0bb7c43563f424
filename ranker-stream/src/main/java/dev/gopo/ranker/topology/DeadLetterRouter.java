package dev.gopo.ranker.topology;

import dev.gopo.avro.DeadLetter;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.DeadLetters;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends rejected records to the dead-letter sink node, with their coordinates, and counts them. */
final class DeadLetterRouter {
    static final String WORKER = "ranker";
    private static final Logger log = LoggerFactory.getLogger(DeadLetterRouter.class);

    private final ProcessorContext<String, Object> context;
    private final RankerMetrics metrics;

    DeadLetterRouter(ProcessorContext<String, Object> context, RankerMetrics metrics) {
        this.context = context;
        this.metrics = metrics;
    }

    /** The record being processed is bad: dead-letter it with its topic, partition, offset and bytes. */
    void reject(String key, byte[] payload, Rejection rejection) {
        RecordMetadata meta = context.recordMetadata().orElseThrow(() -> new IllegalStateException("reject() outside record processing"));
        send(DeadLetters.of(meta.topic(), meta.partition(), meta.offset(), key, payload, rejection.reason(), rejection.detail(), WORKER));
    }

    /**
     * Dead-letters something that is not the record being processed: a whole group on timeout, or a
     * reward stored earlier ({@code offset} then says which).
     */
    void rejectStored(String topic, Integer partition, Long offset, String key, DeadLetterReason reason, String detail) {
        send(DeadLetters.of(topic, partition, offset, key, null, reason, detail, WORKER));
    }

    private void send(DeadLetter letter) {
        metrics.deadLetter(DeadLetterReason.valueOf(letter.getReason()));
        log.debug("dead letter {} {}-{}@{}: {}", letter.getReason(), letter.getSourceTopic(), letter.getPartition(), letter.getOffset(), letter.getDetail());
        context.forward(new Record<>(letter.getKey(), letter, context.currentSystemTimeMs()), RankerTopology.DEAD_LETTER_SINK);
    }
}
