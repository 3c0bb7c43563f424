package dev.gopo.rewardproducer;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.MetricsOptions;
import dev.gopo.platform.DurationConverter;
import dev.gopo.tasks.ModelOptions;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.WorkerProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo reward-producer}: the example external reward producer. */
@Command(name = "reward-producer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Example external reward producer: consumes <prefix>completions, scores each completion's text and writes",
                "<prefix>rewards (key: group id; index, finite reward, producer id, timestamp). Offsets are committed after the",
                "rewards are acknowledged (at-least-once; the ranker drops duplicates). Invalid input goes to <prefix>dead-letters.",
                "With --scorer model and --reward-model, only those tasks are scored; completions of other tasks are dead-lettered",
                "(UNKNOWN_TASK). The contract for producers in any language: docs/reward-producers.md."})
public final class RewardProducerCommand implements Callable<Integer> {

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--group-id", defaultValue = "gopo-reward-producer", paramLabel = "GROUP",
            description = "Kafka consumer group; run several producers with the same group to share the work. Default: ${DEFAULT-VALUE}")
    String groupId;

    @Option(names = "--producer-id", defaultValue = "reward-producer-0", paramLabel = "ID",
            description = "Written into every reward's producerId (auditing) and used as Kafka client id. Default: ${DEFAULT-VALUE}")
    String producerId;

    @Option(names = "--scorer", defaultValue = "model", paramLabel = "model|length",
            description = "'model': each task's reward model (--reward-model, or the cache's); 'length': completion length in characters, "
                    + "a demo that needs no models. Default: ${DEFAULT-VALUE}")
    String scorer;

    @Mixin
    ModelOptions models = new ModelOptions();

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json used to decode completions that carry no text. Default: the built-in ASCII tokenizer every GOPO policy uses")
    Path tokenizer;

    @Option(names = "--max-completions", defaultValue = "0", paramLabel = "N",
            description = "Stop after handling N completions (0 = run until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxCompletions;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without a completion, e.g. 30s, 5m or plain seconds (0 = never). Default: ${DEFAULT-VALUE}")
    Duration idleTimeout;

    /**
     * The validated config; with {@code --scorer model} and no {@code --reward-model}, the reward models of the prepare cache.
     *
     * @throws IOException when the cache is needed but missing or not intact
     */
    public RewardProducerConfig toConfig() throws IOException {
        ScorerKind kind = ScorerKind.parse(scorer);
        Map<String, Path> rewardModels = kind == ScorerKind.MODEL
                ? models.resolve(null, null, false).rewardModels()
                : models.explicitRewardModels();
        return new RewardProducerConfig(groupId, producerId, kind, rewardModels, tokenizer, maxCompletions,
                idleTimeout);
    }

    @Override
    public Integer call() throws Exception {
        RewardProducerConfig config = toConfig();
        try (MetricsEndpoint endpoint = metrics.start("reward-producer")) {
            return WorkerProcess.run("reward-producer", cluster.toConfig(), c -> new RewardProducer(config, c, endpoint));
        }
    }

    /** Entry point for running the reward producer as its own process. */
    public static void main(String[] args) {
        WorkerProcess.main("reward-producer", new RewardProducerCommand(), args);
    }
}
