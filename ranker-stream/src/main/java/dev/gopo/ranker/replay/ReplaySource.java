package dev.gopo.ranker.replay;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.ranker.advantage.AdvantageEstimator;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.replay.ReplayGroups.Assembled;
import dev.gopo.ranker.replay.ReplayGroups.Group;
import dev.gopo.ranker.replay.ReplayGroups.Recorded;
import dev.gopo.schemas.serde.RecordDecodeException;
import dev.gopo.schemas.serde.RecordDecoder;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a recorded run's completions (and external rewards) into advantage groups for a replay learner, without touching
 * the recorded run's topics.
 *
 * <ol>
 *   <li><b>Read</b> {@code <source>completions} from offset 0 up to the end offsets snapshotted when reading starts
 *       ({@code read_committed}, so the snapshot is the last stable offset), by assignment, with no consumer group and no
 *       commits. {@code <source>rewards} is read the same way when some completion carries no inline reward.
 *       Undecodable records are counted and skipped.</li>
 *   <li><b>Group and order</b> with {@link ReplayGroups#assemble} (complete groups only, duplicates by first offset,
 *       fixed order).</li>
 *   <li><b>Rank</b>: the rewards through the {@link RewardTransform}, then {@link AdvantageEstimator#of(Estimator, double)};
 *       a group whose transformed rewards or advantages overflow is counted {@code nonFinite} and left out.</li>
 *   <li><b>Publish</b> the groups, in that order, to the estimator's advantages topic under the <b>target</b> prefix,
 *       a new topic of one partition (so the learner reads them in exactly that order), in Kafka transactions of
 *       {@link #TRANSACTION_SIZE} records. An existing target topic that is not empty is refused: every replay gets a
 *       new prefix.</li>
 * </ol>
 */
public final class ReplaySource {
    private static final Logger log = LoggerFactory.getLogger(ReplaySource.class);
    /** Records per transaction: large enough to be quick, small enough to stay far below the transaction timeout. */
    static final int TRANSACTION_SIZE = 500;
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    /**
     * What a replay read and published.
     *
     * @param topic        the target advantages topic
     * @param published    groups published (and so trainable), in order
     * @param incomplete   recorded groups with a missing completion or reward (not trained)
     * @param nonFinite    complete groups with a non-finite reward, or whose transformed rewards or advantages overflow
     * @param inconsistent completions with an index outside the group or a group size that differs from the group's
     * @param duplicates   second completions or rewards for an index (the first offset kept)
     * @param undecodable  records that are not Avro of the topic's type
     */
    public record Result(String topic, List<AdvantageGroup> published, int incomplete, int nonFinite, int inconsistent, int duplicates,
                         int undecodable) {
        public Result {
            published = List.copyOf(published);
        }

        /** Recorded groups not trained: incomplete ones and ones with non-finite rewards. */
        public int skipped() {
            return incomplete + nonFinite;
        }
    }

    private final ClusterConfig source;
    private final ClusterConfig target;

    /**
     * @param source the recorded run: its broker, registry and topic prefix (e.g. {@code gopo.})
     * @param target where the replay writes: the same broker and registry, a different prefix
     * @throws IllegalArgumentException when the prefixes are equal or the clusters differ
     */
    public ReplaySource(ClusterConfig source, ClusterConfig target) {
        this.source = Objects.requireNonNull(source, "source");
        this.target = Objects.requireNonNull(target, "target");
        if (source.topicNames().prefix().equals(target.topicNames().prefix())) {
            throw new IllegalArgumentException("the replay's --prefix '" + target.topicNames().prefix() + "' equals the recorded run's "
                    + "--source-prefix: a replay never writes to the recorded run's topics; choose a new prefix such as 'replay-1.'");
        }
        if (!source.bootstrapServers().equals(target.bootstrapServers())) {
            throw new IllegalArgumentException("source and target must be on the same cluster (" + source.bootstrapServers() + " vs "
                    + target.bootstrapServers() + ")");
        }
    }

    /** Reads, groups, ranks and publishes (steps 1 to 4 above). */
    public Result replay(Estimator estimator, RewardTransform transform, double grpoEps) {
        Topic<String, AdvantageGroup> out = target.topics().advantages(estimator.topicSuffix());
        requireEmptyTarget(out.name());
        Read read = read();
        Assembled assembled = ReplayGroups.assemble(read.completions(), read.rewards());
        AdvantageEstimator advantages = AdvantageEstimator.of(estimator, grpoEps);
        List<AdvantageGroup> ranked = new ArrayList<>(assembled.complete().size());
        int overflow = 0;
        long now = System.currentTimeMillis();
        for (Group g : assembled.complete()) {
            try {
                ranked.add(ReplayGroups.rank(g, transform, estimator, advantages, now));
            } catch (ArithmeticException e) {
                overflow++;
                log.warn("replay: group {} left out: {}", g.groupId(), e.getMessage());
            }
        }
        publish(out, ranked);
        Result result = new Result(out.name(), ranked, assembled.incomplete(), assembled.nonFinite() + overflow, assembled.inconsistent(),
                assembled.duplicates(), read.undecodable());
        log.info("replay: {} completions and {} rewards read from {}; {} groups published to {} ({} {}), {} incomplete, {} non-finite, "
                        + "{} inconsistent and {} duplicate records, {} undecodable", read.completions().size(), read.rewards().size(),
                source.topicNames().prefix(), ranked.size(), out.name(), estimator, transform.label(), result.incomplete(), result.nonFinite(),
                result.inconsistent(), result.duplicates(), result.undecodable());
        return result;
    }

    private record Read(List<Recorded<Completion>> completions, List<Recorded<Reward>> rewards, int undecodable) {}

    /**
     * Checks that the recorded completions topic exists and holds records, before anything slow happens.
     *
     * @return the records between its beginning and end offsets
     * @throws IllegalArgumentException naming the topic and what to check when it is missing or empty
     */
    public long requireRecorded() {
        String completionsTopic = source.topicNames().completions();
        Set<String> existing = topicNames();
        if (!existing.contains(completionsTopic)) {
            List<String> similar = existing.stream().filter(t -> t.endsWith("completions")).sorted().toList();
            throw new IllegalArgumentException("the recorded completions topic " + completionsTopic + " does not exist on "
                    + source.bootstrapServers() + "; check --source-prefix" + (similar.isEmpty() ? "" : " (completions topics there: " + similar + ")"));
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(withoutGroup(source, "replay-check"), new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = KafkaClients.partitions(consumer, completionsTopic, Duration.ofSeconds(30));
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
            long records = tps.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
            if (records == 0) {
                throw new IllegalArgumentException("the recorded completions topic " + completionsTopic + " is empty: nothing to replay. "
                        + "If the run wrote completions, retention deleted them: keep replayable topics with retention.ms=-1 and "
                        + "retention.bytes=-1");
            }
            return records;
        }
    }

    private Read read() {
        requireRecorded();
        Set<String> existing = topicNames();
        int[] undecodable = {0};
        List<Recorded<Completion>> completions = readTopic(source.topics().completions(), undecodable);
        if (completions.isEmpty()) {
            throw new IllegalArgumentException("the recorded completions topic " + source.topicNames().completions() + " holds no "
                    + "decodable completions (" + undecodable[0] + " undecodable records): nothing to replay");
        }
        List<Recorded<Reward>> rewards = List.of();
        boolean needsExternal = completions.stream().anyMatch(r -> r.value().getReward() == null);
        if (needsExternal) {
            if (existing.contains(source.topicNames().rewards())) {
                rewards = readTopic(source.topics().rewards(), undecodable);
            } else {
                log.warn("replay: some completions carry no inline reward and {} does not exist: their groups are incomplete",
                        source.topicNames().rewards());
            }
        }
        return new Read(completions, rewards, undecodable[0]);
    }

    private Set<String> topicNames() {
        try (Admin admin = KafkaClients.admin(source)) {
            return admin.listTopics().names().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on " + source.bootstrapServers() + ": " + e.getMessage(), e);
        }
    }

    /** Every record from offset 0 to the end offsets taken now, decoded; no group, no commits. */
    private <V> List<Recorded<V>> readTopic(Topic<String, V> topic, int[] undecodable) {
        RecordDecoder<V> decoder = new RecordDecoder<>(topic.valueSerde().deserializer());
        List<Recorded<V>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(withoutGroup(source, "replay-reader"), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = KafkaClients.partitions(consumer, topic.name(), Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!end.isEmpty()) {
                end.entrySet().removeIf(e -> consumer.position(e.getKey()) >= e.getValue());
                if (end.isEmpty()) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic.name() + " did not reach the end offsets " + end + " within "
                            + READ_TIMEOUT.toMinutes() + " minutes");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Long stop = end.get(new TopicPartition(record.topic(), record.partition()));
                    if (stop == null || record.offset() >= stop) {
                        continue;   // past the snapshot: written after the replay started
                    }
                    try {
                        out.add(new Recorded<>(decoder.decode(record), record.partition(), record.offset()));
                    } catch (RecordDecodeException e) {
                        undecodable[0]++;
                    }
                }
            }
        }
        return out;
    }

    private void requireEmptyTarget(String topic) {
        try (Admin admin = KafkaClients.admin(target)) {
            if (admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic)) {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
                try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(withoutGroup(target, "replay-check"), new StringDeserializer(), new ByteArrayDeserializer())) {
                    List<TopicPartition> tps = d.partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                    Map<TopicPartition, Long> end = consumer.endOffsets(tps);
                    Map<TopicPartition, Long> begin = consumer.beginningOffsets(tps);
                    long records = tps.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
                    if (records > 0 || d.partitions().size() != 1) {
                        // offsets, not records: transaction markers take offsets too
                        throw new IllegalArgumentException("the replay's advantages topic " + topic + " already exists"
                                + (records > 0 ? " and is not empty (" + records + " offsets)" : " with " + d.partitions().size() + " partitions")
                                + ": every replay needs a new --prefix");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot check topic " + topic + ": " + e.getMessage(), e);
        }
        KafkaClients.ensureTopics(target, List.of(topic), 1);
    }

    /** A read_committed consumer for assignment only: no consumer group, nothing committed. */
    private Map<String, Object> withoutGroup(ClusterConfig cluster, String client) {
        Map<String, Object> props = KafkaClients.consumer(cluster, "unused", target.topicNames().prefix() + client);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        return props;
    }

    private void publish(Topic<String, AdvantageGroup> topic, List<AdvantageGroup> groups) {
        Map<String, Object> props = KafkaClients.producer(target, target.topicNames().prefix() + "replay-source");
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, target.topicNames().prefix() + "replay-source");
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(props, new StringSerializer(), topic.valueSerde().serializer())) {
            producer.initTransactions();
            for (int from = 0; from < groups.size(); from += TRANSACTION_SIZE) {
                producer.beginTransaction();
                for (AdvantageGroup g : groups.subList(from, Math.min(groups.size(), from + TRANSACTION_SIZE))) {
                    // partition 0 explicitly: the topic has one, and the order of the list is the training order
                    producer.send(new ProducerRecord<>(topic.name(), 0, g.getGroupId(), g));
                }
                producer.commitTransaction();
            }
        }
    }
}
