package dev.gopo.launcher.bench;

import dev.gopo.launcher.OnlineTraining;
import dev.gopo.platform.VersionCadence;
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
 *   <li>{@code lockstep}: a policy version every step and the smallest staleness bound that allows, 0
 *       ({@link VersionCadence}), so the step budget lets the generators sample exactly one step of groups with the newest
 *       weights and the learner waits for them;</li>
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
        // the asynchronous run's cadence; the others announce every step, which any bound >= 0 allows
        VersionCadence.atCheckpoints(checkpointEvery).requireStalenessBound(maxStalenessSteps);
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
        VersionCadence everyStep = VersionCadence.everyStep(checkpointEvery);
        modes.add(new AsyncBenchmark.Mode("lockstep", everyStep.smallestStalenessBound(), everyStep));
        modes.add(new AsyncBenchmark.Mode("async", maxStalenessSteps, VersionCadence.atCheckpoints(checkpointEvery)));
        if (sweep) {
            sweepBounds.stream().filter(b -> b > everyStep.smallestStalenessBound()).distinct().sorted()
                    .forEach(b -> modes.add(new AsyncBenchmark.Mode("bound-" + b, b, everyStep)));
        }
        return modes;
    }

    /** The run of {@code mode}: the same budget, evaluation at the same steps, only the staleness bound and version cadence differ. */
    OnlineTraining.Settings training(AsyncBenchmark.Mode mode) {
        return new OnlineTraining.Settings(steps, groupsPerStep, groupSize, mode.cadence().checkpointEvery(), generators, List.of(Estimator.GOPO), lr, beta,
                mode.maxStalenessSteps(), dev.gopo.learner.LearnerConfig.NO_VERSION_BOUND, evalPrompts, samplesPerPrompt,
                evalEverySteps / mode.cadence().stepsBetweenVersions(), seed, RewardTransform.parse("identity"),
                mode.cadence().announceEveryStep());
    }
}
