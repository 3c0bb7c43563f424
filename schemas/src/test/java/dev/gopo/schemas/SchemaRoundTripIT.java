package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.schemas.topic.Topics;
import dev.gopo.testing.TestInfra;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every schema goes through the real broker and the real registry and comes back equal. */
class SchemaRoundTripIT {
    static Stream<Arguments> records() {
        return Stream.of(
                Arguments.of("prompts", SampleRecords.prompt()),
                Arguments.of("completions", SampleRecords.completion()),
                Arguments.of("rewards", SampleRecords.reward()),
                Arguments.of("advantages", SampleRecords.advantageGroup()),
                Arguments.of("policy-versions", SampleRecords.policyVersion()),
                Arguments.of("eval-results", SampleRecords.evaluationResult()),
                Arguments.of("metrics", SampleRecords.trainingMetrics()),
                Arguments.of("dead-letters", SampleRecords.deadLetter()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void roundTripsThroughBrokerAndRegistry(String topicKind, SpecificRecord record) {
        TestInfra infra = TestInfra.get();
        Topics topics = new Topics(new TopicNames(TestInfra.uniquePrefix("rt")), new SchemaRegistryClient(infra.registryUrl()));
        Topic<String, SpecificRecord> topic = topicFor(topics, topicKind);
        infra.createTopics(List.of(topic.name()), 1);

        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(infra.producerProps(),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), "k", record)).get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        List<SpecificRecord> received = new ArrayList<>();
        try (KafkaConsumer<String, SpecificRecord> consumer = new KafkaConsumer<>(infra.consumerProps(topic.name() + "-reader"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (received.isEmpty() && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, SpecificRecord> r : consumer.poll(Duration.ofMillis(200))) {
                    assertThat(r.key()).isEqualTo("k");
                    received.add(r.value());
                }
            }
        }
        assertThat(received).containsExactly(record);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Topic<String, SpecificRecord> topicFor(Topics topics, String kind) {
        Topic t = switch (kind) {
            case "prompts" -> topics.prompts();
            case "completions" -> topics.completions();
            case "rewards" -> topics.rewards();
            case "advantages" -> topics.advantages();
            case "policy-versions" -> topics.policyVersions();
            case "eval-results" -> topics.evalResults();
            case "metrics" -> topics.metrics();
            case "dead-letters" -> topics.deadLetters();
            default -> throw new IllegalArgumentException(kind);
        };
        return t;
    }
}
