package dev.gopo.evaluator;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.testing.TestInfra;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;

/** A test's own topic prefix on the shared broker + registry, with produce and read helpers. */
public final class ItHarness {
    public final TestInfra infra = TestInfra.get();
    public final ClusterConfig cluster;

    public ItHarness(String name) {
        cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix(name)));
    }

    /** Produces records with the topic's value serde and waits for the acknowledgements. */
    @SafeVarargs
    public final <V> void produce(Topic<String, V> topic, java.util.Map.Entry<String, V>... records) throws Exception {
        infra.produce(topic.name(), topic.valueSerde().serializer(), records);
    }

    /** Produces raw bytes (e.g. garbage that is not Avro). */
    public void produceRaw(String topic, String key, byte[] value) throws Exception {
        infra.produceRaw(topic, key, value);
    }

    /** Reads a topic from the beginning until at least {@code atLeast} records came and the topic went quiet, or the timeout. */
    public <V> List<ConsumerRecord<String, V>> readAll(String topic, Deserializer<V> deserializer, int atLeast, Duration timeout) {
        return infra.readRecords(topic, deserializer, atLeast, timeout);
    }
}
