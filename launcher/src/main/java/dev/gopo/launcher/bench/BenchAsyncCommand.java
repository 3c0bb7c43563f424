package dev.gopo.launcher.bench;

import dev.gopo.learner.LearnerDefaults;
import dev.gopo.tasks.PrepareOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo bench-async}: the same training budget in lockstep and asynchronously, on the embedded default. */
@Command(name = "bench-async", mixinStandardHelpOptions = true,
        description = {"Run the same training budget on the embedded default twice: lockstep (a policy version every step, staleness "
                + "bound 0: generators sample only with the newest weights and the learner waits for them) and asynchronous (the defaults).",
                "Prints wall time to --steps steps and to a target validation reward, learner and generator idle shares, the staleness "
                        + "histogram, the async/lockstep ratios and a two-machine model; --sweep adds staleness bounds (speed vs final quality).",
                "Figures also go to WORK-DIR/bench-async.csv. The default budget takes about 7 minutes on 2 busy cores (--sweep about 15)."})
public final class BenchAsyncCommand implements Callable<Integer> {
    @Mixin
    PrepareOptions prepareOptions;

    @Option(names = "--work-dir", defaultValue = "gopo-work/bench-async", description = "Broker data, runs, figures. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--steps", defaultValue = "100", description = "Learner steps of every run (N). Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--groups-per-step", defaultValue = "" + LearnerDefaults.GROUPS_PER_STEP, description = "Groups per learner step. Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = {"-G", "--group-size"}, defaultValue = "8", description = "Completions per prompt. Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--checkpoint-every", defaultValue = "" + LearnerDefaults.CHECKPOINT_EVERY,
            description = "Asynchronous run: checkpoint and announce a policy version every N steps. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--generators", defaultValue = "1", description = "Generator instances. Default: ${DEFAULT-VALUE}")
    int generators;

    @Option(names = "--max-staleness-steps", defaultValue = "" + LearnerDefaults.MAX_STALENESS_STEPS, paramLabel = "STEPS",
            description = "Asynchronous run: the staleness bound (>= --checkpoint-every - 1). Default: ${DEFAULT-VALUE}")
    long maxStalenessSteps;

    @Option(names = "--sweep", description = "Also run a policy version every step with each of --sweep-bounds as staleness bound.")
    boolean sweep;

    @Option(names = "--sweep-bounds", split = ",", defaultValue = "0,1,2,4", paramLabel = "STEPS",
            description = "Staleness bounds of --sweep (0 is the lockstep run). Default: ${DEFAULT-VALUE}")
    List<Long> sweepBounds;

    @Option(names = "--target-reward", paramLabel = "REWARD",
            description = "Target mean validation reward over tasks. Default: the lockstep run's final value")
    Double targetReward;

    @Option(names = "--eval-every-steps", defaultValue = "20",
            description = "Evaluate at steps that are multiples of this (a multiple of --checkpoint-every that divides --steps). Default: ${DEFAULT-VALUE}")
    int evalEverySteps;

    @Option(names = "--eval-prompts", defaultValue = "32", description = "Held-out prompts per task and evaluation. Default: ${DEFAULT-VALUE}")
    int evalPrompts;

    @Option(names = "--samples-per-prompt", defaultValue = "2", description = "Completions per held-out prompt. Default: ${DEFAULT-VALUE}")
    int samplesPerPrompt;

    @Option(names = "--lr", defaultValue = "" + LearnerDefaults.LR, description = "Peak learning rate. Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--beta", defaultValue = "" + LearnerDefaults.BETA, description = "KL weight. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of preparation, prompts and sampling. Default: ${DEFAULT-VALUE}")
    long seed;

    AsyncBenchSettings settings() {
        return new AsyncBenchSettings(workDir, prepareOptions.cacheDir(), prepareOptions.settings(seed), steps, groupsPerStep, groupSize,
                checkpointEvery, generators, maxStalenessSteps, sweep, sweepBounds,
                targetReward == null ? OptionalDouble.empty() : OptionalDouble.of(targetReward), evalEverySteps, evalPrompts,
                samplesPerPrompt, lr, beta, seed);
    }

    @Override
    public Integer call() throws Exception {
        return new AsyncBenchmark(settings(), new PrintWriter(System.out, true)).run();
    }
}
