package dev.gopo.ranker;

import dev.gopo.platform.DurationConverter;
import dev.gopo.platform.Durations;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.BrokerWatch;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.MetricsOptions;
import dev.gopo.platform.Shutdown;
import dev.gopo.ranker.advantage.RewardTransform;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code gopo ranker}: runs the ranker topology against any broker + registry until Ctrl-C.
 * Only wiring: options to {@link RankerConfig}, start-up checks, {@link RankerWorker}, progress log.
 */
@Command(name = "ranker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Kafka Streams ranker: collects each group's completions and rewards and emits one advantages record per group",
                "and estimator (GOPO by default), exactly once, with dead letters for bad input and timeouts for stragglers.",
                "Reads <prefix>completions and <prefix>rewards; writes <prefix>advantages[.<estimator>] and <prefix>dead-letters.",
                "Durations: 250ms, 30s, 5m, 2h or ISO-8601 (PT5M)."})
public final class RankerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RankerCommand.class);

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Option(names = "--estimators", paramLabel = "LIST", defaultValue = RankerConfig.ESTIMATORS_DEFAULT,
            description = RankerConfig.ESTIMATORS_DOC + " Default: ${DEFAULT-VALUE}")
    String estimators;

    @Option(names = "--reward-source", paramLabel = "SOURCE", defaultValue = RankerConfig.REWARD_SOURCE_DEFAULT,
            description = RankerConfig.REWARD_SOURCE_DOC + " Default: ${DEFAULT-VALUE}")
    RewardSource rewardSource;

    @Option(names = "--reward-preference", paramLabel = "SOURCE", defaultValue = RankerConfig.REWARD_PREFERENCE_DEFAULT,
            description = RankerConfig.REWARD_PREFERENCE_DOC + " Default: ${DEFAULT-VALUE}")
    RewardPreference rewardPreference;

    @Option(names = "--group-timeout", paramLabel = "DURATION", defaultValue = RankerConfig.GROUP_TIMEOUT_DEFAULT, converter = DurationConverter.class,
            description = RankerConfig.GROUP_TIMEOUT_DOC + " Default: ${DEFAULT-VALUE}")
    Duration groupTimeout;

    @Option(names = "--min-scored-for-partial", paramLabel = "N", defaultValue = RankerConfig.MIN_SCORED_FOR_PARTIAL_DEFAULT,
            description = RankerConfig.MIN_SCORED_FOR_PARTIAL_DOC + " Default: ${DEFAULT-VALUE}")
    int minScoredForPartial;

    @Option(names = "--emitted-retention", paramLabel = "DURATION", defaultValue = RankerConfig.EMITTED_RETENTION_DEFAULT, converter = DurationConverter.class,
            description = RankerConfig.EMITTED_RETENTION_DOC + " Default: ${DEFAULT-VALUE}")
    Duration emittedRetention;

    @Option(names = "--max-group-size", paramLabel = "G", defaultValue = RankerConfig.MAX_GROUP_SIZE_DEFAULT,
            description = RankerConfig.MAX_GROUP_SIZE_DOC + " Default: ${DEFAULT-VALUE}")
    int maxGroupSize;

    @Option(names = "--grpo-eps", paramLabel = "EPS", defaultValue = RankerConfig.GRPO_EPS_DEFAULT,
            description = RankerConfig.GRPO_EPS_DOC + " Default: ${DEFAULT-VALUE}")
    double grpoEps;

    @Option(names = "--reward-transform", paramLabel = "SPEC", defaultValue = RankerConfig.REWARD_TRANSFORM_DEFAULT,
            description = RankerConfig.REWARD_TRANSFORM_DOC + " Default: ${DEFAULT-VALUE}")
    String rewardTransform;

    @Option(names = "--application-id", paramLabel = "ID", defaultValue = RankerConfig.APPLICATION_ID_DEFAULT,
            description = RankerConfig.APPLICATION_ID_DOC)
    String applicationId;

    @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = RankerConfig.STATE_DIR_DEFAULT,
            description = RankerConfig.STATE_DIR_DOC + " Default: ${DEFAULT-VALUE}")
    Path stateDir;

    @Option(names = "--stream-threads", paramLabel = "N", defaultValue = RankerConfig.STREAM_THREADS_DEFAULT,
            description = RankerConfig.STREAM_THREADS_DOC + " Default: ${DEFAULT-VALUE}")
    int streamThreads;

    @Option(names = "--replication-factor", paramLabel = "N", defaultValue = RankerConfig.REPLICATION_FACTOR_DEFAULT,
            description = RankerConfig.REPLICATION_FACTOR_DOC + " Default: ${DEFAULT-VALUE}")
    int replicationFactor;

    @Option(names = "--partitions", paramLabel = "N", defaultValue = RankerConfig.PARTITIONS_DEFAULT,
            description = RankerConfig.PARTITIONS_DOC + " Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--commit-interval", paramLabel = "DURATION", defaultValue = RankerConfig.COMMIT_INTERVAL_DEFAULT, converter = DurationConverter.class,
            description = RankerConfig.COMMIT_INTERVAL_DOC + " Default: ${DEFAULT-VALUE}")
    Duration commitInterval;

    @Option(names = "--log-interval", paramLabel = "DURATION", defaultValue = RankerConfig.LOG_INTERVAL_DEFAULT, converter = DurationConverter.class,
            description = RankerConfig.LOG_INTERVAL_DOC + " Default: ${DEFAULT-VALUE}")
    Duration logInterval;

    @Option(names = "--streams-property", paramLabel = "KEY=VALUE", description = RankerConfig.STREAMS_PROPERTY_DOC)
    Map<String, String> streamsProperties = new LinkedHashMap<>();

    /** The validated configuration these options describe. */
    RankerConfig toConfig() {
        RankerConfig.Builder builder = RankerConfig.builder(cluster.toConfig())
                .estimators(RankerConfig.parseEstimators(estimators))
                .rewardSource(rewardSource)
                .rewardPreference(rewardPreference)
                .groupTimeout(groupTimeout)
                .minScoredForPartial(minScoredForPartial)
                .emittedRetention(emittedRetention)
                .maxGroupSize(maxGroupSize)
                .grpoEps(grpoEps)
                .rewardTransform(RewardTransform.parse(rewardTransform))
                .applicationId(applicationId)
                .stateDir(stateDir)
                .streamThreads(streamThreads)
                .replicationFactor(replicationFactor)
                .topicPartitions(partitions)
                .commitInterval(commitInterval)
                .logInterval(logInterval);
        streamsProperties.forEach(builder::streamsProperty);
        return builder.build();
    }

    @Override
    @SuppressWarnings("try") // the progress log only needs to live (and be closed) alongside the worker
    public Integer call() throws InterruptedException {
        RankerConfig config = toConfig();
        log.info("ranker: broker {}, registry {}, application.id {}, estimators {}, reward transform {}, reward source {}{}, group timeout {}, partial from {} scored, state {}",
                config.cluster().bootstrapServers(), config.cluster().registryUrl(), config.applicationId(), config.estimators(),
                config.rewardTransform().label(),
                config.rewardSource(), config.rewardSource() == RewardSource.ANY ? " (prefer " + config.rewardPreference() + ")" : "",
                Durations.format(config.groupTimeout()), config.minScoredForPartial(), config.stateDir().toAbsolutePath());
        KafkaClients.requireBroker(config.cluster());
        RankerTopics.prepare(config);
        log.info("ranker: reading {}, writing {}; changelogs {} with {}", config.inputTopics(), config.outputTopics(),
                RankerTopics.changelogTopics(config), RankerTopics.replicationDescription(config));
        CountDownLatch closed = new CountDownLatch(1);
        CountDownLatch stop = Shutdown.onSignal("ranker", closed);
        // Streams retries quietly and stays RUNNING while the broker is away: the watch says so, and stops us after --broker-timeout.
        try (MetricsEndpoint endpoint = metrics.start("ranker");
             BrokerWatch watch = BrokerWatch.start(config.cluster(), "ranker", stop::countDown);
             RankerWorker worker = RankerWorker.start(config, endpoint);
             ProgressLog progress = ProgressLog.start(worker.streams(), config.logInterval(), watch::status)) {
            if (worker.runUntil(stop)) {
                if (watch.failure().isPresent()) {
                    log.error("ranker stopping: {}", watch.failure().get());
                    return 1;
                }
                return 0;
            }
            Throwable failure = worker.failure();
            log.error("ranker stopped after a failure: {}", failure == null ? "state " + worker.streams().state() : failure.toString());
            return 1;
        } finally {
            closed.countDown();
        }
    }
}
