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

    LearnerHarness(String name) {
        cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix(name)));
        infra.createTopics(List.of(cluster.topicNames().advantages()), 2);
    }

    List<String> produceGroups(int count, int g, long policyVersion) throws Exception {
        Topic<String, AdvantageGroup> topic = cluster.topics().advantages();
        List<String> ids = new ArrayList<>();
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(infra.producerProps(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < count; i++) {
                String id = "g-" + policyVersion + "-" + i;
                producer.send(new ProducerRecord<>(topic.name(), id, Fixtures.group(id, g, policyVersion, i)));
                ids.add(id);
            }
            producer.flush();
        }
        return ids;
    }

    <V> List<V> readAll(String topic, Deserializer<V> deserializer, int atLeast, Duration timeout) {
        List<V> out = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(infra.consumerProps(topic + "-check-" + System.nanoTime()),
                new StringDeserializer(), deserializer)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + timeout.toNanos();
            int emptyPolls = 0;
            while (System.nanoTime() < deadline && (out.size() < atLeast || emptyPolls < 3)) {
                var records = consumer.poll(Duration.ofMillis(300));
                emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
                for (ConsumerRecord<String, V> r : records) {
                    out.add(r.value());
                }
            }
        }
        return out;
    }
}
