package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Topic set-up, fixture production and output reading shared by the learner ITs. */
final class LearnerHarness {
    final TestInfra infra = TestInfra.get();
    final ClusterConfig cluster;
    /** Suffix of the advantages topic the fixtures go to (empty = the GOPO topic), as {@code --advantages}. */
    final String advantagesSuffix;

    LearnerHarness(String name) {
        this(name, 2);
    }

    /** With one partition the learner reads the groups in the order they were produced. */
    LearnerHarness(String name, int partitions) {
        this(name, partitions, "");
    }

    /** Fixtures go to the advantages topic of {@code advantagesSuffix}, e.g. {@code dr-grpo}. */
    LearnerHarness(String name, int partitions, String advantagesSuffix) {
        this.advantagesSuffix = advantagesSuffix;
        cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix(name)));
        infra.createTopics(List.of(cluster.topicNames().advantages(advantagesSuffix)), partitions);
    }

    List<String> produceGroups(int count, int g, long policyVersion) throws Exception {
        return produceGroups("g-" + policyVersion, count, g, policyVersion, -4.5f);
    }

    /** Produces {@code count} fixture groups with ids {@code <idPrefix>-<i>}; see {@link Fixtures#group(String, int, long, long, float)}. */
    List<String> produceGroups(String idPrefix, int count, int g, long policyVersion, float logProbFloor) throws Exception {
        Topic<String, AdvantageGroup> topic = cluster.topics().advantages(advantagesSuffix);
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(infra.producerProps(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                String id = idPrefix + "-" + i;
                producer.send(new ProducerRecord<>(topic.name(), id, Fixtures.group(id, g, policyVersion, i, logProbFloor)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    /** Produces one fixture group per entry, in order, each with its own id, version, step and temperature. */
    void produce(List<AdvantageGroup> groups) throws Exception {
        Topic<String, AdvantageGroup> topic = cluster.topics().advantages(advantagesSuffix);
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(infra.producerProps(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (AdvantageGroup group : groups) {
                producer.send(new ProducerRecord<>(topic.name(), group.getGroupId(), group));
            }
            producer.flush();
        }
    }

    <V> List<V> readAll(String topic, Deserializer<V> deserializer, int atLeast, Duration timeout) {
        return infra.readValues(topic, deserializer, atLeast, timeout);
    }
}
