package dev.gopo.generator;

import dev.gopo.platform.DurationConverter;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.MetricsOptions;
import dev.gopo.platform.WorkerProcess;
import dev.gopo.policy.sampling.SamplingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo generator}: samples groups of completions for prompts with the current policy. */
@Command(name = "generator", mixinStandardHelpOptions = true,
        description = {"Consume prompts (as one member of a consumer group), sample G completions per prompt with the current policy,",
                "record behaviour log-probs and policy version, score inline or leave rewards to external producers, publish completions.",
                "Hot-swaps weights when the learner announces a new policy version (after verifying its SHA-256)."})
public final class GeneratorCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Option(names = "--generator-id", defaultValue = "generator-0", description = "Id of this instance (recorded on completions). Default: ${DEFAULT-VALUE}")
    String generatorId;

    @Option(names = "--group-id", defaultValue = "gopo-generators", description = "Consumer group shared by all generators. Default: ${DEFAULT-VALUE}")
    String groupId;

    @Option(names = {"-G", "--group-size"}, defaultValue = "8", description = "Completions per prompt (paper: 8). Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--temperature", defaultValue = "1.0", description = "Sampling temperature (the learner must use the same). Default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0", description = "Top-k filter, 0 = off. Default: ${DEFAULT-VALUE}")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus filter, 1.0 = off. Default: ${DEFAULT-VALUE}")
    double topP;

    @Option(names = "--max-new-tokens", defaultValue = "" + TaskVocabulary.MAX_COMPLETION_TOKENS,
            description = "Completion length limit in tokens, EOS included (the prepared word-level policy needs 12 for the built-in tasks). Default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--seed", defaultValue = "1", description = "Base sampling seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--reward-mode", defaultValue = "INLINE", description = "INLINE (reward model scores in the record) or EXTERNAL (reward producers). Default: ${DEFAULT-VALUE}")
    RewardMode rewardMode;

    @Option(names = "--init-policy", paramLabel = "DIR", description = "Policy to sample with until a version is announced (the reference policy).")
    Path initPolicy;

    @Option(names = "--reward-model", paramLabel = "TASK=DIR", description = "Reward model directory of a task, repeatable (for --reward-mode INLINE).")
    Map<String, Path> rewardModels = new LinkedHashMap<>();

    @Option(names = "--max-groups-per-version", defaultValue = "0",
            description = "Extra backpressure: pause after this many groups with one policy version until a newer one is announced (0 = off). Default: ${DEFAULT-VALUE}")
    long maxGroupsPerVersion;

    @Option(names = "--groups-per-step", defaultValue = "16",
            description = {"Step budget: the learner's --groups-per-step. The generator samples at most its share of the groups the learner",
                    "can still train on within its staleness bound (see StepBudget). Default: ${DEFAULT-VALUE}"})
    int groupsPerStep;

    @Option(names = "--generators", defaultValue = "1", description = "Step budget: how many generators share the prompts. Default: ${DEFAULT-VALUE}")
    int generators;

    @Option(names = "--generator-index", defaultValue = "0",
            description = "Step budget: this generator's index, 0 .. --generators - 1 (e.g. a StatefulSet ordinal). Default: ${DEFAULT-VALUE}")
    int generatorIndex;

    @Option(names = "--max-staleness-steps", defaultValue = "25", paramLabel = "STEPS",
            description = "Step budget: the learner's --max-staleness-steps. Default: ${DEFAULT-VALUE}")
    long maxStalenessSteps;

    @Option(names = "--max-policy-lag", paramLabel = "VERSIONS", description = "Step budget: the learner's --max-policy-lag, if it has one. Default: off")
    Long maxPolicyLag;

    @Option(names = "--version-every", defaultValue = "10", paramLabel = "STEPS",
            description = "Step budget: steps between the learner's policy versions (its --checkpoint-every, or 1 with --announce-every-step). Default: ${DEFAULT-VALUE}")
    int versionEvery;

    @Option(names = "--no-step-budget", description = "Turn the step budget off (sample as fast as possible; stale groups are then dropped by the learner).")
    boolean noStepBudget;

    @Option(names = "--prompts-per-batch", defaultValue = "" + GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH, paramLabel = "N",
            description = {"Sample the groups of up to N prompts in one batched forward pass (N x G rows; 1 = one group per pass).",
                    "Never more than the step budget or --max-groups-per-version still allow. Default: ${DEFAULT-VALUE}"})
    int promptsPerBatch;

    @Option(names = "--max-prompts", defaultValue = "0", description = "Stop after this many prompts (0 = until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxPrompts;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without prompts, e.g. 30s, 5m or plain seconds (0 = never). Default: ${DEFAULT-VALUE}")
    Duration idleTimeout;

    public GeneratorConfig toConfig() {
        return new GeneratorConfig(generatorId, groupId, groupSize, new SamplingConfig(temperature, topK, topP, maxNewTokens, seed), rewardMode,
                initPolicy, rewardModels, maxGroupsPerVersion, maxPrompts, idleTimeout, noStepBudget ? StepBudget.OFF
                : StepBudget.forLearner(groupsPerStep, generators, generatorIndex, maxStalenessSteps, maxPolicyLag == null ? -1 : maxPolicyLag,
                        versionEvery), promptsPerBatch);
    }

    @Override
    public Integer call() throws Exception {
        GeneratorConfig config = toConfig();
        try (MetricsEndpoint endpoint = metrics.start("generator")) {
            return WorkerProcess.run("generator", cluster.toConfig(), c -> new Generator(config, c, endpoint));
        }
    }

    public static void main(String[] args) {
        WorkerProcess.main("generator", new GeneratorCommand(), args);
    }
}
