package dev.gopo.ranker.topology;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.Reward;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.ranker.state.GroupStore;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The ranker topology in a TopologyTestDriver with the real serdes and an in-memory schema registry: no broker, no
 * registry JVM (the ITs run the same topology against both). Wall-clock time starts at {@link #T0} and moves only
 * with {@link #advance}.
 */
final class RankerHarness implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-02-01T00:00:00Z");

    final RankerConfig config;
    final TopologyTestDriver driver;
    final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final TestInputTopic<String, Completion> completions;
    private final TestInputTopic<String, byte[]> rawCompletions;
    private final TestInputTopic<String, Reward> rewards;
    private final TestInputTopic<String, byte[]> rawRewards;
    private final Map<Estimator, TestOutputTopic<String, AdvantageGroup>> advantages = new EnumMap<>(Estimator.class);
    private final TestOutputTopic<String, DeadLetter> deadLetters;

    private RankerHarness(RankerConfig config, MetricsEndpoint endpoint) {
        this.config = config;
        this.driver = new TopologyTestDriver(RankerTopology.build(config, registry, endpoint), RankerWorker.streamsProperties(config), T0);
        TopicNames names = config.topicNames();
        completions = driver.createInputTopic(names.completions(), new StringSerializer(), new AvroSerializer<Completion>(registry));
        rawCompletions = driver.createInputTopic(names.completions(), new StringSerializer(), new ByteArraySerializer());
        rewards = driver.createInputTopic(names.rewards(), new StringSerializer(), new AvroSerializer<Reward>(registry));
        rawRewards = driver.createInputTopic(names.rewards(), new StringSerializer(), new ByteArraySerializer());
        for (Estimator e : config.estimators()) {
            advantages.put(e, driver.createOutputTopic(config.advantagesTopic(e), new StringDeserializer(),
                    new AvroDeserializer<>(registry, AdvantageGroup.class)));
        }
        deadLetters = driver.createOutputTopic(names.deadLetters(), new StringDeserializer(), new AvroDeserializer<>(registry, DeadLetter.class));
    }

    /**
     * A harness with a 1 minute group timeout and {@code customize} applied. The bootstrap and registry addresses are
     * never contacted: the driver has no broker and the topology gets the in-memory registry.
     */
    static RankerHarness start(Path stateDir, UnaryOperator<RankerConfig.Builder> customize) {
        return start(stateDir, customize, MetricsEndpoint.off());
    }

    /** As {@link #start(Path, UnaryOperator)}, with the ranker's metrics also recorded into {@code endpoint}. */
    static RankerHarness start(Path stateDir, UnaryOperator<RankerConfig.Builder> customize, MetricsEndpoint endpoint) {
        ClusterConfig cluster = new ClusterConfig("localhost:9092", "http://registry.invalid:8081", new TopicNames("ranker-test"));
        RankerConfig.Builder builder = RankerConfig.builder(cluster).stateDir(stateDir).groupTimeout(Duration.ofMinutes(1))
                .emittedRetention(Duration.ofMinutes(10));
        return new RankerHarness(customize.apply(builder).build(), endpoint);
    }

    /** Pipes a completion keyed by its group id, with record timestamp T0 + {@code atMs}. */
    void completion(Completion c, long atMs) {
        completions.pipeInput(c.getGroupId(), c, T0.toEpochMilli() + atMs);
    }

    void completion(String key, Completion c, long atMs) {
        completions.pipeInput(key, c, T0.toEpochMilli() + atMs);
    }

    void rawCompletion(String key, byte[] value) {
        rawCompletions.pipeInput(key, value, T0.toEpochMilli());
    }

    void reward(Reward r, long atMs) {
        rewards.pipeInput(r.getGroupId(), r, T0.toEpochMilli() + atMs);
    }

    void reward(String key, Reward r, long atMs) {
        rewards.pipeInput(key, r, T0.toEpochMilli() + atMs);
    }

    void rawReward(String key, byte[] value) {
        rawRewards.pipeInput(key, value, T0.toEpochMilli());
    }

    /** Serialised bytes of a completion as a producer would write them. */
    byte[] bytes(Completion c) {
        return new AvroSerializer<Completion>(registry).serialize(config.topicNames().completions(), c);
    }

    byte[] bytes(Reward r) {
        return new AvroSerializer<Reward>(registry).serialize(config.topicNames().rewards(), r);
    }

    void advance(Duration d) {
        driver.advanceWallClockTime(d);
    }

    List<AdvantageGroup> advantages(Estimator e) {
        return advantages.get(e).readValuesToList();
    }

    List<AdvantageGroup> advantages() {
        return advantages(config.estimators().get(0));
    }

    List<DeadLetter> deadLetters() {
        return deadLetters.readValuesToList();
    }

    RankerMetrics.Snapshot metrics() {
        return RankerMetrics.Snapshot.of(driver.metrics());
    }

    /** Entries in the groups store and the deadline index. */
    int[] storeSizes() {
        return new int[] {count(GroupStore.GROUPS), count(GroupStore.DEADLINES)};
    }

    private int count(String store) {
        KeyValueStore<Bytes, byte[]> kv = driver.getKeyValueStore(store);
        int n = 0;
        try (KeyValueIterator<Bytes, byte[]> it = kv.all()) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    @Override
    public void close() {
        driver.close();
    }
}
