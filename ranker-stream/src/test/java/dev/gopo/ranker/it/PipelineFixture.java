package dev.gopo.ranker.it;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.topology.Samples;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Topics on the real test broker, a producer of groups and a read_committed reader of advantages. */
final class PipelineFixture implements AutoCloseable {
    final TestInfra infra = TestInfra.get();
    final ClusterConfig cluster;
    final SchemaRegistryClient registry;
    private final KafkaProducer<String, Completion> completions;
    private final KafkaProducer<String, Reward> rewards;

    PipelineFixture(String name, int partitions) {
        cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix(name)));
        registry = new SchemaRegistryClient(infra.registryUrl());
        TopicNames n = cluster.topicNames();
        infra.createTopics(List.of(n.completions(), n.rewards(), n.advantages(), n.deadLetters()), partitions);
        completions = new KafkaProducer<>(infra.producerProps(), new StringSerializer(), new AvroSerializer<Completion>(registry));
        rewards = new KafkaProducer<>(infra.producerProps(), new StringSerializer(), new AvroSerializer<Reward>(registry));
    }

    RankerConfig.Builder config() {
        return RankerConfig.builder(cluster).topicPartitions(2).logInterval(Duration.ofSeconds(5));
    }

    /**
     * Sends group {@code groupId} of size {@code g}: when {@code external}, completions carry no reward
     * and every reward goes to the rewards topic (the reward for index i before completion i for odd i);
     * otherwise rewards are inline.
     */
    void sendGroup(String groupId, int g, boolean external) {
        TopicNames n = cluster.topicNames();
        for (int i = 0; i < g; i++) {
            double r = (groupId.hashCode() % 7) * 0.1 + i;
            ProducerRecord<String, Reward> reward = new ProducerRecord<>(n.rewards(), groupId, Samples.reward(groupId, i, r).build());
            if (external && i % 2 == 1) {
                rewards.send(reward);
            }
            completions.send(new ProducerRecord<>(n.completions(), groupId, Samples.completion(groupId, i, g, external ? null : r).build()));
            if (external && i % 2 == 0) {
                rewards.send(reward);
            }
        }
    }

    void flush() {
        completions.flush();
        rewards.flush();
    }

    /** Reads the advantages topic (read_committed) until {@code expected} records arrived and then {@code quiet} passed without more. */
    Map<String, List<AdvantageGroup>> readAdvantages(int expected, Duration timeout, Duration quiet) {
        Map<String, List<AdvantageGroup>> byGroup = new HashMap<>();
        AvroDeserializer<AdvantageGroup> decoder = new AvroDeserializer<>(registry, AdvantageGroup.class);
        int total = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(infra.consumerProps(cluster.topicNames().prefix() + "reader"),
                new StringDeserializer(), new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(List.of(cluster.topicNames().advantages()));
            long deadline = System.nanoTime() + timeout.toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byGroup.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(decoder.deserialize(r.topic(), r.value()));
                    total++;
                }
                if (total >= expected && quietUntil == Long.MAX_VALUE) {
                    quietUntil = System.nanoTime() + quiet.toNanos();
                }
            }
        }
        return byGroup;
    }

    @Override
    public void close() {
        completions.close();
        rewards.close();
    }
}
