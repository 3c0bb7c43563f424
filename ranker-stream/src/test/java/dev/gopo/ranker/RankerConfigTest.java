package dev.gopo.ranker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class RankerConfigTest {
    private static final ClusterConfig CLUSTER = new ClusterConfig("localhost:9092", "http://localhost:8081", new TopicNames("x."));

    @Test
    void defaults() {
        RankerConfig c = RankerConfig.builder(CLUSTER).build();
        assertThat(c.estimators()).containsExactly(Estimator.GOPO);
        assertThat(c.rewardSource()).isEqualTo(RewardSource.ANY);
        assertThat(c.rewardPreference()).isEqualTo(RewardPreference.EXTERNAL);
        assertThat(c.groupTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(c.minScoredForPartial()).isEqualTo(2);
        assertThat(c.emittedRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(c.grpoEps()).isEqualTo(1e-4);
        assertThat(c.applicationId()).isEqualTo("x.ranker");
        assertThat(c.replicationFactor()).isEqualTo(-1);
        assertThat(c.timeoutCheckInterval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.inputTopics()).containsExactly("x.completions", "x.rewards");
        assertThat(c.outputTopics()).containsExactly("x.advantages", "x.dead-letters");
    }

    @Test
    void estimatorsMapToTheirTopics() {
        RankerConfig c = RankerConfig.builder(CLUSTER).estimators(RankerConfig.parseEstimators("gopo, grpo,dr-grpo,RLOO,gopo_arbitrary_ties"))
                .rewardSource(RewardSource.INLINE).build();
        assertThat(c.outputTopics()).containsExactly("x.advantages", "x.advantages.grpo", "x.advantages.dr-grpo", "x.advantages.rloo",
                "x.advantages.gopo-arbitrary-ties", "x.dead-letters");
        assertThat(c.inputTopics()).containsExactly("x.completions");
    }

    @Test
    void badValuesFailWithTheOptionNameAndAFix() {
        assertFails(b -> b.estimators(List.of()), "--estimators is empty");
        assertFails(b -> b.estimators(Estimator.GOPO, Estimator.GOPO), "--estimators lists GOPO twice");
        assertFails(b -> b.groupTimeout(Duration.ZERO), "--group-timeout must be a positive duration, got 0ms; e.g. --group-timeout 5m");
        assertFails(b -> b.minScoredForPartial(0), "--min-scored-for-partial must be between 1 and --max-group-size");
        assertFails(b -> b.emittedRetention(Duration.ofMinutes(1)), "--emitted-retention (1m) must be at least --group-timeout (5m)");
        assertFails(b -> b.maxGroupSize(0), "--max-group-size must be between 1 and 1000000");
        assertFails(b -> b.grpoEps(Double.NaN), "--grpo-eps must be a finite number >= 0");
        assertFails(b -> b.applicationId("has space"), "--application-id 'has space' is not legal");
        assertFails(b -> b.streamThreads(0), "--stream-threads must be at least 1");
        assertFails(b -> b.replicationFactor(0), "--replication-factor must be -1 (broker default) or at least 1");
        assertFails(b -> b.topicPartitions(0), "--partitions must be at least 1");
        assertFails(b -> b.commitInterval(Duration.ofMillis(-1)), "--commit-interval must be a positive duration");
        assertFails(b -> b.streamsProperty("processing.guarantee", "at_least_once"), "needs exactly_once_v2");
        assertFails(b -> b.streamsProperty("application.id", "other"), "use the ranker's own option");
        assertThatThrownBy(() -> RankerConfig.parseEstimators("GOPO,PPO")).hasMessageContaining("unknown estimator 'PPO'").hasMessageContaining("RLOO");
    }

    @Test
    void streamsPropertiesAreExactlyOnceWithTheConfiguredReplication() {
        RankerConfig c = RankerConfig.builder(CLUSTER).replicationFactor(1).streamThreads(2).commitInterval(Duration.ofMillis(250))
                .streamsProperty("security.protocol", "PLAINTEXT").build();
        Properties p = RankerWorker.streamsProperties(c);
        assertThat(p).containsEntry(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2)
                .containsEntry(StreamsConfig.APPLICATION_ID_CONFIG, "x.ranker")
                .containsEntry(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1)
                .containsEntry(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 2)
                .containsEntry(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 250L)
                .containsEntry("security.protocol", "PLAINTEXT")
                .containsEntry("producer.max.in.flight.requests.per.connection", 1)
                .containsEntry("producer.batch.size", 256 * 1024);
        // a setting of the user's, prefixed or not, wins over the ranker's producer defaults
        for (String key : List.of("max.in.flight.requests.per.connection", "producer.max.in.flight.requests.per.connection", "batch.size",
                "producer.batch.size")) {
            Properties own = RankerWorker.streamsProperties(RankerConfig.builder(CLUSTER).streamsProperty(key, "5").build());
            assertThat(own).as(key).containsEntry(key, "5").hasSize(p.size() - 1);
        }
    }

    private static void assertFails(java.util.function.UnaryOperator<RankerConfig.Builder> change, String message) {
        assertThatThrownBy(() -> change.apply(RankerConfig.builder(CLUSTER)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
