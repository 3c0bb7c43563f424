package dev.gopo.ranker;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.DeadLetter;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.ranker.state.GroupStore;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.serde.WireFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.streams.StreamsConfig;

/** Start-up checks of the ranker's topics and registry, so misconfiguration fails with a message, not a hang. */
final class RankerTopics {
    private RankerTopics() {
    }

    /**
     * Creates missing input and output topics, checks that completions and rewards are co-partitioned
     * and that the registry accepts the output schemas.
     */
    static void prepare(RankerConfig config) {
        ClusterConfig cluster = config.cluster();
        List<String> topics = new ArrayList<>(config.inputTopics());
        topics.addAll(config.outputTopics());
        KafkaClients.ensureTopics(cluster, topics, config.topicPartitions());
        if (config.rewardSource().readsRewardsTopic()) {
            requireCopartitioned(cluster, config.topicNames().completions(), config.topicNames().rewards());
        }
        SchemaRegistryClient registry = cluster.registryClient();
        config.estimators().forEach(e -> registry.register(WireFormat.valueSubject(config.advantagesTopic(e)), AdvantageGroup.getClassSchema()));
        registry.register(WireFormat.valueSubject(config.topicNames().deadLetters()), DeadLetter.getClassSchema());
    }

    private static void requireCopartitioned(ClusterConfig cluster, String completions, String rewards) {
        try (Admin admin = KafkaClients.admin(cluster)) {
            Map<String, TopicDescription> topics = admin.describeTopics(List.of(completions, rewards)).allTopicNames().get(30, TimeUnit.SECONDS);
            int c = topics.get(completions).partitions().size();
            int r = topics.get(rewards).partitions().size();
            if (c != r) {
                throw new IllegalStateException("topic " + completions + " has " + c + " partitions but " + rewards + " has " + r
                        + ": a group's completions and rewards must land on the same partition number; give both the same count"
                        + " (or run with --reward-source INLINE if the rewards topic is not used)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + completions + " and " + rewards, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topics " + completions + " and " + rewards + ": " + e.getMessage(), e);
        }
    }

    /** For the log: the changelog topics Kafka Streams creates for the ranker's stores. */
    static List<String> changelogTopics(RankerConfig config) {
        return List.of(config.applicationId() + "-" + GroupStore.GROUPS + "-changelog",
                config.applicationId() + "-" + GroupStore.DEADLINES + "-changelog");
    }

    static String replicationDescription(RankerConfig config) {
        return StreamsConfig.REPLICATION_FACTOR_CONFIG + "=" + config.replicationFactor()
                + (config.replicationFactor() == -1 ? " (broker default)" : "");
    }
}
