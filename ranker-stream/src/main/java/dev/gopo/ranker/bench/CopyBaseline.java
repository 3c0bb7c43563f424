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
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The ceiling the ranker is compared with: the cheapest exactly-once consume-transform-produce loop
 * Kafka allows, a {@link KafkaConsumer} (read_committed) and a transactional {@link KafkaProducer}
 * copying every record unchanged, committing offsets with {@code sendOffsetsToTransaction} on the same
 * commit interval as the ranker, with Kafka Streams' own client defaults (linger.ms 100,
 * max.poll.records 1000). It does no decoding, no state and no changelog writes.
 */
final class CopyBaseline {
    private CopyBaseline() {
    }

    /** Copies {@code expected} records from {@code inputs} to {@code output}; returns the seconds from the first record to the last commit. */
    static double run(ClusterConfig cluster, List<String> inputs, String output, long expected, Duration commitInterval) {
        Map<String, Object> consumerProps = KafkaClients.consumer(cluster, "bench-copy", "bench-copy");
        consumerProps.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
        Map<String, Object> producerProps = new HashMap<>(KafkaClients.producer(cluster, "bench-copy"));
        producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "bench-copy-tx");
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 100);
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
            return (System.nanoTime() - startNanos) / 1e9;
        }
    }
}
