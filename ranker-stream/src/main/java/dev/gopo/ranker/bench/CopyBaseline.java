package dev.gopo.ranker.bench;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling the ranker is compared with: the cheapest exactly-once consume-transform-produce loop
 * Kafka allows, a {@link KafkaConsumer} (read_committed) and one transactional {@link KafkaProducer}
 * copying every record unchanged, committing offsets with {@code sendOffsetsToTransaction} on the same
 * commit interval as the ranker (linger.ms 100, max.poll.records 1000 as Kafka Streams). It does no
 * decoding, no state and no changelog writes.
 *
 * <p><b>One produce request in flight, large batches.</b> With transactions v2 (KIP-890, the default
 * on Kafka 4.x) the client no longer adds partitions to the transaction itself: the partition leader
 * verifies the first batch of a transaction with the coordinator. {@code commitTransaction} returns
 * once the coordinator has written PREPARE_COMMIT; the commit markers follow asynchronously. A copy
 * loop that begins the next transaction at once (the consumer already holds the next 1,000 records)
 * sends that transaction's first batch (sequence 0, new epoch) while the markers are still being
 * written: the verification answers {@code CONCURRENT_TRANSACTIONS} and batch 0 waits for a retry.
 * With the default five requests in flight, the batches behind it (sequences 24, 48, …) are already
 * on the wire; they arrive after the markers, pass verification, and the broker refuses each with
 * {@code OutOfOrderSequenceException: … Expected sequence 0 for transactions v2 idempotent producer
 * with no existing state} (logged at ERROR by {@code ReplicaManager}), until batch 0 is retried and
 * then they are retried too. No record is lost or duplicated, but every such commit costs a retry
 * back-off and several wasted round trips, and the ceiling was measured through broker errors. With
 * one request in flight nothing can overtake batch 0; 256 KiB batches (instead of 16 KiB) win back
 * the throughput that pipelining gave. The producer's retries and errors are returned, and the caller
 * also watches the log ({@link LogWatch}).
 */
final class CopyBaseline {
    static final int BATCH_SIZE = 256 * 1024;

    /** Seconds from the first record to the last commit, and the copy producer's retried and failed record sends. */
    record Result(double seconds, long retries, long errors) {
    }

    private CopyBaseline() {
    }

    /** Copies {@code expected} records from {@code inputs} to {@code output}; {@code name} is its consumer group, client and transactional id. */
    static Result run(ClusterConfig cluster, List<String> inputs, String output, long expected, Duration commitInterval, String name) {
        Map<String, Object> consumerProps = KafkaClients.consumer(cluster, name, name);
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        Map<String, Object> producerProps = new HashMap<>(KafkaClients.producer(cluster, name));
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name + "-tx");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 100);
        producerProps.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        producerProps.put(ProducerConfig.BATCH_SIZE_CONFIG, BATCH_SIZE);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer());
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.initTransactions();
            consumer.subscribe(inputs);
            long copied = 0;
            long startNanos = 0;
            long lastCommit = System.nanoTime();
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            long deadline = System.nanoTime() + Duration.ofMinutes(15).toNanos();
            producer.beginTransaction();
            while (copied < expected) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("copy baseline saw only " + copied + " of " + expected + " records in 15 minutes");
                }
                ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofMillis(100));
                if (startNanos == 0 && !records.isEmpty()) {
                    startNanos = System.nanoTime();
                }
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    producer.send(new ProducerRecord<>(output, r.key(), r.value()));
                    offsets.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                    copied++;
                }
                if (copied >= expected || System.nanoTime() - lastCommit >= commitInterval.toNanos()) {
                    producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
                    producer.commitTransaction();
                    offsets.clear();
                    lastCommit = System.nanoTime();
                    if (copied < expected) {
                        producer.beginTransaction();
                    }
                }
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            return new Result(seconds, (long) producerMetric(producer.metrics(), "record-retry-total"),
                    (long) producerMetric(producer.metrics(), "record-error-total"));
        }
    }

    private static double producerMetric(Map<MetricName, ? extends Metric> metrics, String name) {
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().group().equals("producer-metrics") && e.getKey().name().equals(name)) {
                return ((Number) e.getValue().metricValue()).doubleValue();
            }
        }
        return 0;
    }
}
