package dev.gopo.rewardproducer;

import dev.gopo.evaluator.ModelDirs;
import dev.gopo.evaluator.RewardModelDirs;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.Shutdown;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo reward-producer}: the example external reward producer. */
@Command(name = "reward-producer", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Example external reward producer: consumes <prefix>completions, scores each completion's text and writes",
                "<prefix>rewards (key: group id; index, finite reward, producer id, timestamp). Offsets are committed after the",
                "rewards are acknowledged (at-least-once; the ranker drops duplicates). Invalid input goes to <prefix>dead-letters.",
                "The contract for producers in any language: docs/reward-producers.md."})
public final class RewardProducerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(RewardProducerCommand.class);

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--group-id", defaultValue = "gopo-reward-producer", paramLabel = "GROUP",
            description = "Kafka consumer group; run several producers with the same group to share the work. Default: ${DEFAULT-VALUE}")
    String groupId;

    @Option(names = "--producer-id", defaultValue = "reward-producer-0", paramLabel = "ID",
            description = "Written into every reward's producerId (auditing) and used as Kafka client id. Default: ${DEFAULT-VALUE}")
    String producerId;

    @Option(names = "--scorer", defaultValue = "model", paramLabel = "model|length",
            description = "'model': each task's reward model (needs --reward-model); 'length': completion length in characters, "
                    + "a demo that needs no models. Default: ${DEFAULT-VALUE}")
    String scorer;

    @Option(names = "--cache-dir", defaultValue = "gopo-work/cache", paramLabel = "DIR",
            description = "Prepare cache ('gopo prepare') whose reward models --scorer model uses when no --reward-model is given. "
                    + "Default: ${DEFAULT-VALUE}")
    Path cacheDir;

    @Option(names = "--reward-model", paramLabel = "TASK=DIR",
            description = "Reward-model directory of a task; repeatable. When given, only these tasks are scored and completions "
                    + "of other tasks are dead-lettered (UNKNOWN_TASK). Default: every reward model of the cache")
    List<String> rewardModels = new ArrayList<>();

    @Option(names = "--tokenizer", paramLabel = "FILE",
            description = "tokenizer.json used to decode completions that carry no text. Default: the built-in ASCII tokenizer every GOPO policy uses")
    Path tokenizer;

    @Option(names = "--max-completions", defaultValue = "0", paramLabel = "N",
            description = "Stop after handling N completions (0 = run until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxCompletions;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop after this many seconds without a completion (0 = never). Default: ${DEFAULT-VALUE}")
    long idleTimeoutSeconds;

    /**
     * The validated config; with {@code --scorer model} and no {@code --reward-model}, the reward models of the prepare cache.
     *
     * @throws IOException when the cache is needed but missing or not intact
     */
    public RewardProducerConfig toConfig() throws IOException {
        ScorerKind kind = ScorerKind.parse(scorer);
        Map<String, Path> models = RewardModelDirs.parse(rewardModels);
        if (kind == ScorerKind.MODEL) {
            models = ModelDirs.resolve(cacheDir, null, null, models, false).rewardModels();
        }
        return new RewardProducerConfig(groupId, producerId, kind, models, tokenizer, maxCompletions,
                Duration.ofSeconds(idleTimeoutSeconds));
    }

    @Override
    public Integer call() throws Exception {
        RewardProducerConfig config = toConfig();
        ClusterConfig clusterConfig = cluster.toConfig();
        KafkaClients.requireBroker(clusterConfig, Duration.ofSeconds(15));
        Shutdown.runUntilStopped("reward-producer", stop -> {
            try (RewardProducer producer = new RewardProducer(config, clusterConfig)) {
                producer.run(stop);
            }
        });
        return 0;
    }

    /** Entry point for running the reward producer as its own process. */
    public static void main(String[] args) {
        int code = new CommandLine(new RewardProducerCommand()).execute(args);
        log.info("reward producer exits with code {}", code);
        System.exit(code);
    }
}
