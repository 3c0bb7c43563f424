package dev.gopo.ranker;

import dev.gopo.platform.Durations;
import dev.gopo.platform.ClientProperties;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Everything the ranker needs, validated once at start-up. Each key has its documentation
 * ({@code *_DOC}) and default ({@code *_DEFAULT}, as the command line spells it) right here; the
 * picocli options of {@link RankerCommand} use these constants, and the compact constructor
 * validates every key with a message that names the option and says how to fix it.
 *
 * @param cluster broker, registry and topic prefix
 */
public record RankerConfig(
        ClusterConfig cluster,
        List<Estimator> estimators,
        RewardSource rewardSource,
        RewardPreference rewardPreference,
        Duration groupTimeout,
        int minScoredForPartial,
        Duration emittedRetention,
        int maxGroupSize,
        double grpoEps,
        String applicationId,
        Path stateDir,
        int streamThreads,
        int replicationFactor,
        int topicPartitions,
        Duration commitInterval,
        Duration logInterval,
        Map<String, String> streamsOverrides,
        RewardTransform rewardTransform) {

    public static final String ESTIMATORS_DOC = "Advantage estimators to run side by side, comma-separated; each writes its own topic "
            + "(GOPO -> advantages, GOPO_ARBITRARY_TIES -> advantages.gopo-arbitrary-ties, GRPO -> advantages.grpo, "
            + "DR_GRPO -> advantages.dr-grpo, RLOO -> advantages.rloo).";
    public static final String ESTIMATORS_DEFAULT = "GOPO";

    public static final String REWARD_SOURCE_DOC = "Where rewards come from: INLINE (the completion's reward field; the rewards topic is not read), "
            + "EXTERNAL (the rewards topic; inline rewards ignored) or ANY (whichever is there; a group is emitted once every completion has one).";
    public static final String REWARD_SOURCE_DEFAULT = "ANY";

    public static final String REWARD_PREFERENCE_DOC = "With --reward-source ANY: the reward used when a completion has both an inline "
            + "and an external reward at the moment its group is emitted (INLINE or EXTERNAL).";
    public static final String REWARD_PREFERENCE_DEFAULT = "EXTERNAL";

    public static final String GROUP_TIMEOUT_DOC = "Wall-clock time from the first record of a group until it is closed: emitted partial if at least "
            + "--min-scored-for-partial completions are scored, else dead-lettered (GROUP_TIMEOUT).";
    public static final String GROUP_TIMEOUT_DEFAULT = "5m";

    public static final String MIN_SCORED_FOR_PARTIAL_DOC = "Scored completions a timed-out group needs to be emitted as partial (1 emits groups whose "
            + "advantages are all 0).";
    public static final String MIN_SCORED_FOR_PARTIAL_DEFAULT = "2";

    public static final String EMITTED_RETENTION_DOC = "How long a compact marker of each emitted or expired group is kept, so late duplicates are dropped "
            + "and counted instead of opening the group again. At least --group-timeout.";
    public static final String EMITTED_RETENTION_DEFAULT = "1h";

    public static final String MAX_GROUP_SIZE_DOC = "Largest group size G accepted; larger ones are dead-lettered (GROUP_SIZE_MISMATCH), which bounds "
            + "per-group state.";
    public static final String MAX_GROUP_SIZE_DEFAULT = "1024";

    public static final String GRPO_EPS_DOC = "eps of GRPO's (r - mean) / (std + eps), population std.";
    public static final String GRPO_EPS_DEFAULT = "1e-4";

    public static final String REWARD_TRANSFORM_DOC = "Transform of each group's rewards right before the estimators rank them, for ablations: "
            + "identity, affine:A:B (a*r + b, A > 0), exp:K (exp(k*r), K > 0), power:P (sign(r)*|r|^p, P > 0; heavy-tailed), all strictly "
            + "increasing (GOPO's advantages do not change), or noise:SIGMA[:SEED] (r + N(0, sigma^2), order-changing, seeded per group and "
            + "completion). AdvantageGroup.reward then carries the transformed reward; a non-finite result is dead-lettered NON_FINITE_REWARD.";
    public static final String REWARD_TRANSFORM_DEFAULT = "identity";

    public static final String APPLICATION_ID_DOC = "Kafka Streams application.id: consumer group, transactional ids and internal topic names. "
            + "Empty means <topic-prefix>ranker. Instances with the same id share the work.";
    public static final String APPLICATION_ID_DEFAULT = "";

    public static final String STATE_DIR_DOC = "Directory of the local state stores (RocksDB). Keep it across restarts to avoid a full restore.";
    public static final String STATE_DIR_DEFAULT = "gopo-work/ranker/state";

    public static final String STREAM_THREADS_DOC = "Stream threads in this instance (at most the partition count is useful).";
    public static final String STREAM_THREADS_DEFAULT = "1";

    public static final String REPLICATION_FACTOR_DOC = "Replication factor of the ranker's internal changelog topics; -1 uses the broker's "
            + "default.replication.factor (1 on the embedded single broker). Must not exceed the number of brokers.";
    public static final String REPLICATION_FACTOR_DEFAULT = "-1";

    public static final String PARTITIONS_DOC = "Partitions of topics the ranker creates when they are missing (completions and rewards must have the same count).";
    public static final String PARTITIONS_DEFAULT = "4";

    public static final String COMMIT_INTERVAL_DOC = "How often a transaction is committed; output becomes visible to read_committed readers only then.";
    public static final String COMMIT_INTERVAL_DEFAULT = "100ms";

    public static final String LOG_INTERVAL_DOC = "How often the one-line progress summary is logged.";
    public static final String LOG_INTERVAL_DEFAULT = "30s";

    public static final String STREAMS_PROPERTY_DOC = "Extra Kafka Streams / client property KEY=VALUE (repeatable), e.g. security.protocol=SASL_SSL. "
            + "Cannot override processing.guarantee, application.id, bootstrap.servers, state.dir, num.stream.threads, replication.factor, commit.interval.ms.";

    private static final Pattern LEGAL_ID = Pattern.compile("[a-zA-Z0-9._-]+");
    /** Keys that have their own option, or (processing.guarantee) must not change. */
    private static final Set<String> OWNED_KEYS = Set.of(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.APPLICATION_ID_CONFIG,
            StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, StreamsConfig.STATE_DIR_CONFIG, StreamsConfig.NUM_STREAM_THREADS_CONFIG,
            StreamsConfig.REPLICATION_FACTOR_CONFIG, StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);

    public RankerConfig {
        Objects.requireNonNull(cluster, "cluster");
        if (estimators == null || estimators.isEmpty()) {
            throw new IllegalArgumentException("--estimators is empty; name at least one of " + Arrays.toString(Estimator.values()) + ", e.g. --estimators GOPO,GRPO");
        }
        EnumSet<Estimator> seen = EnumSet.noneOf(Estimator.class);
        for (Estimator e : estimators) {
            if (!seen.add(Objects.requireNonNull(e, "estimator"))) {
                throw new IllegalArgumentException("--estimators lists " + e + " twice; list each estimator once");
            }
        }
        estimators = List.copyOf(estimators);
        Objects.requireNonNull(rewardSource, "--reward-source");
        Objects.requireNonNull(rewardPreference, "--reward-preference");
        requirePositive(groupTimeout, "--group-timeout", "5m");
        if (maxGroupSize < 1 || maxGroupSize > 1_000_000) {
            throw new IllegalArgumentException("--max-group-size must be between 1 and 1000000, got " + maxGroupSize);
        }
        if (minScoredForPartial < 1 || minScoredForPartial > maxGroupSize) {
            throw new IllegalArgumentException("--min-scored-for-partial must be between 1 and --max-group-size (" + maxGroupSize + "), got "
                    + minScoredForPartial + "; the default is " + MIN_SCORED_FOR_PARTIAL_DEFAULT);
        }
        requirePositive(emittedRetention, "--emitted-retention", "1h");
        if (emittedRetention.compareTo(groupTimeout) < 0) {
            throw new IllegalArgumentException("--emitted-retention (" + Durations.format(emittedRetention) + ") must be at least --group-timeout ("
                    + Durations.format(groupTimeout) + "), or duplicates arriving late but within the timeout would open the group again");
        }
        if (!Double.isFinite(grpoEps) || grpoEps < 0) {
            throw new IllegalArgumentException("--grpo-eps must be a finite number >= 0, got " + grpoEps + "; the default is " + GRPO_EPS_DEFAULT);
        }
        if (applicationId == null || applicationId.isEmpty()) {
            applicationId = cluster.topicNames().prefix() + "ranker";
        }
        if (!LEGAL_ID.matcher(applicationId).matches() || applicationId.length() > 200) {
            throw new IllegalArgumentException("--application-id '" + applicationId + "' is not legal: use letters, digits, '.', '_' and '-' only, at most 200 characters");
        }
        Objects.requireNonNull(stateDir, "--state-dir");
        if (streamThreads < 1) {
            throw new IllegalArgumentException("--stream-threads must be at least 1, got " + streamThreads);
        }
        if (replicationFactor != -1 && replicationFactor < 1) {
            throw new IllegalArgumentException("--replication-factor must be -1 (broker default) or at least 1, got " + replicationFactor
                    + "; use 1 on a single broker");
        }
        if (topicPartitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + topicPartitions);
        }
        requirePositive(commitInterval, "--commit-interval", "100ms");
        requirePositive(logInterval, "--log-interval", "30s");
        Objects.requireNonNull(rewardTransform, "--reward-transform");
        streamsOverrides = Map.copyOf(streamsOverrides == null ? Map.of() : streamsOverrides);
        for (String key : streamsOverrides.keySet()) {
            if (OWNED_KEYS.contains(key)) {
                throw new IllegalArgumentException("--streams-property " + key + " is not allowed: "
                        + (key.equals(StreamsConfig.PROCESSING_GUARANTEE_CONFIG)
                        ? "the ranker needs exactly_once_v2 to emit each group exactly once"
                        : "use the ranker's own option for it (see --help)"));
            }
        }
        for (String key : cluster.client().kafka().keySet()) {
            if (OWNED_KEYS.contains(key)) {
                throw new IllegalArgumentException(cluster.client().origin() + " sets " + key + ", which the ranker owns: "
                        + "use the ranker's own option for it (see --help)");
            }
        }
    }

    private static void requirePositive(Duration d, String option, String example) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(option + " must be a positive duration, got " + (d == null ? "nothing" : Durations.format(d))
                    + "; e.g. " + option + " " + example);
        }
    }

    /** The record's fields, with secret values of {@code --streams-property} (e.g. sasl.jaas.config) hidden. */
    @Override
    public String toString() {
        return "RankerConfig[cluster=" + cluster + ", estimators=" + estimators + ", rewardSource=" + rewardSource
                + ", rewardPreference=" + rewardPreference + ", groupTimeout=" + groupTimeout + ", minScoredForPartial=" + minScoredForPartial
                + ", emittedRetention=" + emittedRetention + ", maxGroupSize=" + maxGroupSize + ", grpoEps=" + grpoEps
                + ", applicationId=" + applicationId + ", stateDir=" + stateDir + ", streamThreads=" + streamThreads
                + ", replicationFactor=" + replicationFactor + ", topicPartitions=" + topicPartitions + ", commitInterval=" + commitInterval
                + ", logInterval=" + logInterval + ", streamsOverrides=" + ClientProperties.redacted(streamsOverrides)
                + ", rewardTransform=" + rewardTransform.label() + "]";
    }

    public TopicNames topicNames() {
        return cluster.topicNames();
    }

    /** The output topic of one estimator. */
    public String advantagesTopic(Estimator estimator) {
        return topicNames().advantages(estimator.topicSuffix());
    }

    /** Topics the ranker reads. */
    public List<String> inputTopics() {
        return rewardSource.readsRewardsTopic() ? List.of(topicNames().completions(), topicNames().rewards()) : List.of(topicNames().completions());
    }

    /** Topics the ranker writes. */
    public List<String> outputTopics() {
        List<String> out = new ArrayList<>();
        estimators.forEach(e -> out.add(advantagesTopic(e)));
        out.add(topicNames().deadLetters());
        return out;
    }

    /**
     * How often open groups are checked against their deadline: a tenth of the timeout, between
     * 10 ms and 1 s, so a group closes at most that late.
     */
    public Duration timeoutCheckInterval() {
        long ms = Math.max(10, Math.min(1_000, groupTimeout.toMillis() / 10));
        return Duration.ofMillis(ms);
    }

    public static Builder builder(ClusterConfig cluster) {
        return new Builder(cluster);
    }

    /** Starts from the defaults above; for tests and the benchmark. */
    public static final class Builder {
        private final ClusterConfig cluster;
        private List<Estimator> estimators = parseEstimators(ESTIMATORS_DEFAULT);
        private RewardSource rewardSource = RewardSource.valueOf(REWARD_SOURCE_DEFAULT);
        private RewardPreference rewardPreference = RewardPreference.valueOf(REWARD_PREFERENCE_DEFAULT);
        private Duration groupTimeout = Durations.parse(GROUP_TIMEOUT_DEFAULT);
        private int minScoredForPartial = Integer.parseInt(MIN_SCORED_FOR_PARTIAL_DEFAULT);
        private Duration emittedRetention = Durations.parse(EMITTED_RETENTION_DEFAULT);
        private int maxGroupSize = Integer.parseInt(MAX_GROUP_SIZE_DEFAULT);
        private double grpoEps = Double.parseDouble(GRPO_EPS_DEFAULT);
        private String applicationId = APPLICATION_ID_DEFAULT;
        private Path stateDir = Path.of(STATE_DIR_DEFAULT);
        private int streamThreads = Integer.parseInt(STREAM_THREADS_DEFAULT);
        private int replicationFactor = Integer.parseInt(REPLICATION_FACTOR_DEFAULT);
        private int topicPartitions = Integer.parseInt(PARTITIONS_DEFAULT);
        private Duration commitInterval = Durations.parse(COMMIT_INTERVAL_DEFAULT);
        private Duration logInterval = Durations.parse(LOG_INTERVAL_DEFAULT);
        private final Map<String, String> streamsOverrides = new LinkedHashMap<>();
        private RewardTransform rewardTransform = RewardTransform.parse(REWARD_TRANSFORM_DEFAULT);

        private Builder(ClusterConfig cluster) {
            this.cluster = cluster;
        }

        public Builder estimators(Estimator... values) {
            this.estimators = List.of(values);
            return this;
        }

        public Builder estimators(List<Estimator> values) {
            this.estimators = values;
            return this;
        }

        public Builder rewardSource(RewardSource value) {
            this.rewardSource = value;
            return this;
        }

        public Builder rewardPreference(RewardPreference value) {
            this.rewardPreference = value;
            return this;
        }

        public Builder groupTimeout(Duration value) {
            this.groupTimeout = value;
            return this;
        }

        public Builder minScoredForPartial(int value) {
            this.minScoredForPartial = value;
            return this;
        }

        public Builder emittedRetention(Duration value) {
            this.emittedRetention = value;
            return this;
        }

        public Builder maxGroupSize(int value) {
            this.maxGroupSize = value;
            return this;
        }

        public Builder grpoEps(double value) {
            this.grpoEps = value;
            return this;
        }

        public Builder applicationId(String value) {
            this.applicationId = value;
            return this;
        }

        public Builder stateDir(Path value) {
            this.stateDir = value;
            return this;
        }

        public Builder streamThreads(int value) {
            this.streamThreads = value;
            return this;
        }

        public Builder replicationFactor(int value) {
            this.replicationFactor = value;
            return this;
        }

        public Builder topicPartitions(int value) {
            this.topicPartitions = value;
            return this;
        }

        public Builder commitInterval(Duration value) {
            this.commitInterval = value;
            return this;
        }

        public Builder logInterval(Duration value) {
            this.logInterval = value;
            return this;
        }

        /** Applied to each group's rewards before ranking; {@link RewardTransform#identity()} by default. */
        public Builder rewardTransform(RewardTransform value) {
            this.rewardTransform = value;
            return this;
        }

        public Builder streamsProperty(String key, String value) {
            this.streamsOverrides.put(key, value);
            return this;
        }

        public RankerConfig build() {
            return new RankerConfig(cluster, estimators, rewardSource, rewardPreference, groupTimeout, minScoredForPartial, emittedRetention,
                    maxGroupSize, grpoEps, applicationId, stateDir, streamThreads, replicationFactor, topicPartitions, commitInterval,
                    logInterval, streamsOverrides, rewardTransform);
        }
    }

    /** Parses a comma-separated estimator list such as {@code GOPO,GRPO}, with a message listing the valid names. */
    public static List<Estimator> parseEstimators(String text) {
        List<Estimator> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String name = part.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            if (name.isEmpty()) {
                continue;
            }
            try {
                out.add(Estimator.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--estimators: unknown estimator '" + part.trim() + "'; choose from "
                        + Arrays.toString(Estimator.values()), e);
            }
        }
        return out;
    }
}
