package dev.gopo.platform;

/**
 * How often the learner announces a policy version, and the least staleness bound that lets generators keep sampling
 * between two versions. The one place for the rule; the learner warns when a bound breaks it, {@code gopo run},
 * {@code gopo bench-async} and {@code gopo study} refuse it at start-up.
 *
 * <p>The learner announces a version every
 *
 * <pre>
 *   N = 1                   with --announce-every-step
 *   N = --checkpoint-every  otherwise (at checkpoints)
 * </pre>
 *
 * optimiser steps, and generators get new weights only at announcements. Groups sampled with the weights of step
 * {@code p} are trained on at steps up to {@code p + N} (the next announcement); at step {@code s} their staleness is
 * {@code s - p}, and the learner admits them while {@code s - p <= B} ({@code --max-staleness-steps}). The generators'
 * step budget ({@code StepBudget}, window {@code W >= N}, nominal staleness {@code <= W - 1}) lets them sample {@code N}
 * steps of groups ahead of the newest version, so they need
 *
 * <pre>
 *   B >= N - 1
 * </pre>
 *
 * Below it the groups for the last steps before the next version are dropped as stale and the generators, their budget
 * spent, wait for a version the learner cannot reach. {@code B = 0} with {@code N = 1} is lockstep.
 *
 * @param checkpointEvery   the learner's {@code --checkpoint-every}, steps between checkpoints ({@code >= 1})
 * @param announceEveryStep the learner's {@code --announce-every-step}: a version after every step instead of at checkpoints
 */
public record VersionCadence(int checkpointEvery, boolean announceEveryStep) {

    public VersionCadence {
        requireCheckpointEvery(checkpointEvery);
    }

    /** Refuses {@code --checkpoint-every < 1}: a learner that never checkpoints never announces a version. */
    public static void requireCheckpointEvery(int checkpointEvery) {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 1 step, got " + checkpointEvery);
        }
    }

    /** Versions at checkpoints, every {@code checkpointEvery} steps. */
    public static VersionCadence atCheckpoints(int checkpointEvery) {
        return new VersionCadence(checkpointEvery, false);
    }

    /** A version after every step ({@code --announce-every-step}); checkpoints still every {@code checkpointEvery} steps. */
    public static VersionCadence everyStep(int checkpointEvery) {
        return new VersionCadence(checkpointEvery, true);
    }

    /** {@code N}: optimiser steps between policy versions, 1 with {@code --announce-every-step}, else {@code --checkpoint-every}. */
    public int stepsBetweenVersions() {
        return announceEveryStep ? 1 : checkpointEvery;
    }

    /** {@code N - 1}: the smallest staleness bound that lets generators sample every step's groups between two versions. */
    public long smallestStalenessBound() {
        return stepsBetweenVersions() - 1L;
    }

    /** True when {@code maxStalenessSteps < N - 1}: most groups of the steps before each version would be dropped as stale. */
    public boolean isBelowSmallestBound(long maxStalenessSteps) {
        return maxStalenessSteps < smallestStalenessBound();
    }

    /**
     * Returns {@code maxStalenessSteps} when it is {@code >= 0} and {@code >= N - 1}; otherwise throws an
     * {@link IllegalArgumentException} that says how to fix it ({@link #belowSmallestBoundMessage}).
     */
    public long requireStalenessBound(long maxStalenessSteps) {
        if (maxStalenessSteps < 0) {
            throw new IllegalArgumentException("--max-staleness-steps must be >= 0 optimiser steps (0 = strictly on-policy), got "
                    + maxStalenessSteps);
        }
        if (isBelowSmallestBound(maxStalenessSteps)) {
            throw new IllegalArgumentException(belowSmallestBoundMessage(maxStalenessSteps));
        }
        return maxStalenessSteps;
    }

    /**
     * What is wrong with a bound {@code B < N - 1} and how to fix it, naming both options and their values. Only
     * versions at checkpoints can have it ({@code N = 1} needs {@code B >= 0}), so it speaks of {@code --checkpoint-every}.
     */
    public String belowSmallestBoundMessage(long maxStalenessSteps) {
        long smallest = smallestStalenessBound();
        return "--max-staleness-steps " + maxStalenessSteps + " is below --checkpoint-every " + checkpointEvery + " - 1 = " + smallest
                + ": generators get new weights only at checkpoints, so the groups they sample for the steps up to the next one "
                + "would be dropped as stale and the pipeline would stall (StepBudget). Raise --max-staleness-steps to at least "
                + smallest + " or lower --checkpoint-every to at most " + (maxStalenessSteps + 1);
    }
}
