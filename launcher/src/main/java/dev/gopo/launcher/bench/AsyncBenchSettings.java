package dev.gopo.launcher.bench;

import dev.gopo.launcher.OnlineTraining;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.PrepareSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Settings of {@code gopo bench-async}, validated at start-up. Every run has the same training budget
 * ({@code steps x groupsPerStep} groups of G completions, learner hyper-parameters, evaluation at the same steps);
 * the runs differ only in how far generation may run ahead of training:
 *
 * <ul>
 *   <li>{@code lockstep}: a policy version every step and staleness bound 0, so the step budget lets the generators
 *       sample exactly one step of groups with the newest weights and the learner waits for them;</li>
 *   <li>{@code async}: the defaults, a version every {@code checkpointEvery} steps and the bound {@code maxStalenessSteps};</li>
 *   <li>with {@code sweep}: also {@code bound-B} for each of {@code sweepBounds} above 0, a version every step.</li>
 * </ul>
 *
 * @param evalEverySteps evaluate at learner steps that are multiples of this (a multiple of {@code checkpointEvery}, dividing
 *                       {@code steps}), the same steps in every run
 * @param targetReward   the target mean validation reward; empty = the lockstep run's final value
 */
record AsyncBenchSettings(Path workDir, Path cacheDir, PrepareSettings prepare, int steps, int groupsPerStep, int groupSize,
                          int checkpointEvery, int generators, long maxStalenessSteps, boolean sweep, List<Long> sweepBounds,
                          OptionalDouble targetReward, int evalEverySteps, int evalPrompts, int samplesPerPrompt, double lr, double beta,
                          long seed) {
    AsyncBenchSettings {
        Objects.requireNonNull(workDir, "--work-dir");
        if (steps < 1 || groupsPerStep < 1 || checkpointEvery < 1 || generators < 1 || evalEverySteps < 1 || evalPrompts < 1
                || samplesPerPrompt < 1) {
            throw new IllegalArgumentException("--steps, --groups-per-step, --checkpoint-every, --generators, --eval-every-steps, "
                    + "--eval-prompts and --samples-per-prompt must be >= 1");
        }
        if (groupSize < 2) {
            throw new IllegalArgumentException("--group-size must be >= 2, got " + groupSize);
        }
        if (evalEverySteps % checkpointEvery != 0 || steps % evalEverySteps != 0) {
            throw new IllegalArgumentException("--eval-every-steps " + evalEverySteps + " must be a multiple of --checkpoint-every "
                    + checkpointEvery + " and divide --steps " + steps + ", so that every run is evaluated at the same steps "
                    + "(e.g. --steps 100 --eval-every-steps 20 --checkpoint-every 10)");
        }
        if (maxStalenessSteps < checkpointEvery - 1) {
            throw new IllegalArgumentException("--max-staleness-steps " + maxStalenessSteps + " must be >= --checkpoint-every - 1 = "
                    + (checkpointEvery - 1) + " for the asynchronous run (generators get new weights only at checkpoints)");
        }
        sweepBounds = List.copyOf(sweepBounds);
        if (sweepBounds.isEmpty() || sweepBounds.stream().anyMatch(b -> b == null || b < 0)) {
            throw new IllegalArgumentException("--sweep-bounds needs one or more staleness bounds >= 0, got " + sweepBounds);
        }
        if (!(lr > 0) || !(beta >= 0)) {
            throw new IllegalArgumentException("--lr must be > 0 and --beta >= 0");
        }
        Objects.requireNonNull(targetReward, "targetReward");
    }

    /** Lockstep first (its final reward is the default target), then the asynchronous default, then the sweep. */
    List<AsyncBenchmark.Mode> modes() {
        List<AsyncBenchmark.Mode> modes = new ArrayList<>();
        modes.add(new AsyncBenchmark.Mode("lockstep", 0, true));
        modes.add(new AsyncBenchmark.Mode("async", maxStalenessSteps, false));
        if (sweep) {
            sweepBounds.stream().filter(b -> b > 0).distinct().sorted()
                    .forEach(b -> modes.add(new AsyncBenchmark.Mode("bound-" + b, b, true)));
        }
        return modes;
    }

    /** The run of {@code mode}: the same budget, evaluation at the same steps, only the staleness bound and version cadence differ. */
    OnlineTraining.Settings training(AsyncBenchmark.Mode mode) {
        int versionEvery = mode.announceEveryStep() ? 1 : checkpointEvery;
        return new OnlineTraining.Settings(steps, groupsPerStep, groupSize, checkpointEvery, generators, List.of(Estimator.GOPO), lr, beta,
                mode.maxStalenessSteps(), dev.gopo.learner.LearnerConfig.NO_VERSION_BOUND, evalPrompts, samplesPerPrompt,
                evalEverySteps / versionEvery, seed, RewardTransform.parse("identity"), mode.announceEveryStep());
    }
}
