package dev.gopo.learner;

import dev.gopo.platform.DurationConverter;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.MetricsOptions;
import dev.gopo.platform.WorkerProcess;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo learner}: clipped GOPO policy updates from the advantages topic. */
@Command(name = "learner", mixinStandardHelpOptions = true,
        description = {"Consume advantage groups, make clipped policy updates with DJL (PyTorch), checkpoint weights + optimizer state + offsets,",
                "and announce policy versions. Restarts resume from the latest checkpoint."})
public final class LearnerCommand implements Callable<Integer> {

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Option(names = "--learner-id", defaultValue = "learner-0", description = "Learner id: consumer group and metrics key. Default: ${DEFAULT-VALUE}")
    String learnerId;

    @Option(names = "--advantages", defaultValue = "", paramLabel = "SUFFIX",
            description = "Advantages topic to train on: empty for the GOPO topic, or an estimator's suffix: gopo-arbitrary-ties, grpo, dr-grpo, rloo. Default: GOPO topic")
    String advantagesTopic;

    @Option(names = "--init-policy", paramLabel = "DIR", description = "Starting policy directory, also the frozen KL reference (from 'gopo prepare').")
    Path initPolicy;

    @Option(names = "--work-dir", defaultValue = "gopo-work/learner", description = "Checkpoints and announced weights. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--groups-per-step", defaultValue = "" + LearnerDefaults.GROUPS_PER_STEP, description = "Prompts (groups) per optimisation step (paper: 128). Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = "--max-staleness-steps", defaultValue = "" + LearnerDefaults.MAX_STALENESS_STEPS, paramLabel = "STEPS",
            description = {"Drop groups sampled by weights more than this many learner optimiser steps old (current step minus the",
                    "completions' policyStep; 0 = strictly on-policy). Generators only get weights at announcements, so keep it",
                    ">= --checkpoint-every - 1 unless --announce-every-step. Default: ${DEFAULT-VALUE}"})
    long maxStalenessSteps;

    @Option(names = "--max-policy-lag", paramLabel = "VERSIONS",
            description = {"Optional extra bound: also drop groups sampled more than this many announced policy versions ago.",
                    "Versions come only at checkpoints, so this is coarse; prefer --max-staleness-steps. Default: off"})
    Long maxPolicyLag;

    @Option(names = "--checkpoint-every", defaultValue = "" + LearnerDefaults.CHECKPOINT_EVERY, description = "Checkpoint every N steps. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--announce-every-step", description = "Announce a policy version after every step instead of after every checkpoint.")
    boolean announceEveryStep;

    @Option(names = "--lr", defaultValue = "" + LearnerDefaults.LR, description = "Peak learning rate (paper: 1e-6 for a 1.7B model). Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--warmup-steps", defaultValue = "" + LearnerDefaults.WARMUP_STEPS, description = "Linear warm-up steps. Default: ${DEFAULT-VALUE}")
    int warmupSteps;

    @Option(names = "--eps-low", defaultValue = "" + LearnerDefaults.EPS_LOW, description = "Lower clip range of the ratio. Default: ${DEFAULT-VALUE}")
    double epsLow;

    @Option(names = "--eps-high", defaultValue = "" + LearnerDefaults.EPS_HIGH, description = "Upper clip range of the ratio. Default: ${DEFAULT-VALUE}")
    double epsHigh;

    @Option(names = "--beta", defaultValue = "" + LearnerDefaults.BETA, description = "Weight of the k3 KL penalty to the reference. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--max-grad-norm", defaultValue = "" + LearnerDefaults.MAX_GRAD_NORM, description = "Global gradient-norm clip. Default: ${DEFAULT-VALUE}")
    double maxGradNorm;

    @Option(names = "--temperature", defaultValue = "" + LearnerDefaults.TEMPERATURE, description = "Sampling temperature of the generators; groups sampled at another are dead-lettered (TEMPERATURE_MISMATCH). Default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--max-completion-tokens", defaultValue = "0", paramLabel = "TOKENS",
            description = {"The generators' --max-new-tokens. Required with --advantages dr-grpo: Dr. GRPO divides the loss by",
                    "this budget times the completions instead of averaging over tokens. Default: not set"})
    int maxCompletionTokens;

    @Option(names = "--max-steps", defaultValue = "0", description = "Stop after this many steps in total (0 = until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxSteps;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without input, e.g. 30s, 5m or plain seconds (0 = never). Default: ${DEFAULT-VALUE}")
    Duration idleTimeout;

    @Option(names = "--replay", description = {"Train on a recorded run's groups (as 'gopo replay' does): their policy steps and versions are",
            "another learner's, so the future-policy and staleness checks are off; each group is trained once, in topic order,",
            "the importance ratio and the clip bound the update, and the lag metrics are on the recorded run's clock."})
    boolean replay;

    private Estimator advantagesEstimator() {
        try {
            return Estimator.forTopicSuffix(advantagesTopic);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--advantages: " + e.getMessage(), e);
        }
    }

    public LearnerConfig toConfig() {
        AdamWConfig defaults = AdamWConfig.defaults(lr);
        TrainerConfig trainer = new TrainerConfig(new LossConfig(epsLow, epsHigh, beta),
                new AdamWConfig(lr, warmupSteps, defaults.beta1(), defaults.beta2(), defaults.eps(), defaults.weightDecay(), maxGradNorm),
                temperature);
        return new LearnerConfig(learnerId, advantagesEstimator(), groupsPerStep, maxStalenessSteps,
                maxPolicyLag == null ? LearnerConfig.NO_VERSION_BOUND : maxPolicyLag, checkpointEvery, announceEveryStep,
                workDir, initPolicy, trainer, maxSteps, idleTimeout, maxCompletionTokens, replay);
    }

    @Override
    public Integer call() throws Exception {
        LearnerConfig config = toConfig();
        try (MetricsEndpoint endpoint = metrics.start("learner")) {
            return WorkerProcess.run("learner", cluster.toConfig(), c -> new Learner(config, c, endpoint));
        }
    }

    /** Entry point for running the learner as its own process (e.g. in the crash test). */
    public static void main(String[] args) {
        WorkerProcess.main("learner", new LearnerCommand(), args);
    }
}
