package dev.gopo.platform;

import dev.gopo.avro.DeadLetter;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.Topics;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One idempotent producer per worker for all its output topics, values serialised with each
 * {@link Topic}'s serde, plus the worker's dead-letter sink (every dead letter is logged, counted by
 * reason and published with the bad record's coordinates and bytes).
 */
public final class RecordPublisher implements DeadLetterSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RecordPublisher.class);

    private final KafkaProducer<String, byte[]> producer;
    private final Topics topics;
    private final String worker;
    private final Map<DeadLetterReason, Long> deadLetterCounts = new EnumMap<>(DeadLetterReason.class);

    public RecordPublisher(ClusterConfig cluster, Topics topics, String worker, String clientId) {
        this.producer = new KafkaProducer<>(KafkaClients.producer(cluster, clientId), new StringSerializer(), new ByteArraySerializer());
        this.topics = topics;
        this.worker = worker;
    }

    public <V> Future<RecordMetadata> send(Topic<String, V> topic, String key, V value) {
        byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
        return producer.send(new ProducerRecord<>(topic.name(), key, bytes));
    }

    /** Sends and waits for the broker's acknowledgement. */
    public <V> RecordMetadata sendSync(Topic<String, V> topic, String key, V value) {
        try {
            return send(topic, key, value).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing to " + topic.name(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot write to " + topic.name() + ": " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** Dead-letters a consumed record: logs it, counts it and publishes it with its coordinates and bytes. */
    @Override
    public void deadLetter(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, String detail) {
        deadLetter(DeadLetters.of(record, reason, detail, worker), reason);
    }

    public void deadLetter(DeadLetter letter, DeadLetterReason reason) {
        synchronized (deadLetterCounts) {
            deadLetterCounts.merge(reason, 1L, Long::sum);
        }
        log.warn("dead letter {} from {}-{}@{} key={}: {}", reason, letter.getSourceTopic(), letter.getPartition(),
                letter.getOffset(), letter.getKey(), letter.getDetail());
        send(topics.deadLetters(), letter.getKey(), letter);
    }

    /** Dead letters published so far, by reason. */
    public Map<DeadLetterReason, Long> deadLetterCounts() {
        synchronized (deadLetterCounts) {
            return Map.copyOf(deadLetterCounts);
        }
    }

    public long deadLetterCount() {
        return deadLetterCounts().values().stream().mapToLong(Long::longValue).sum();
    }

    /** The producer, for {@link MetricsEndpoint#bindKafka(RecordPublisher)}. */
    KafkaProducer<String, byte[]> producer() {
        return producer;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
