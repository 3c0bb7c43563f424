package dev.gopo.generator;

/**
 * Backpressure tied to the learner's progress in optimiser steps: how many groups one generator may
 * sample ahead of the newest step the learner has announced on {@code policy-versions}, so that no
 * group is sampled only to be dropped as stale.
 *
 * <p>Let {@code N} be the learner's groups per step, {@code k} the number of generators (this one has
 * index {@code i}, {@code 0 <= i < k}) and {@code p} the step of the newest policy version the generator
 * has loaded. The learner reads groups roughly in the order they were sampled and trains step
 * {@code s + 1} on the groups at positions {@code sN+1 .. (s+1)N} of that order (dropped or dead-lettered
 * groups only move later groups earlier). A group sampled with the weights of step {@code p} has
 * staleness {@code s - p} when the learner, at step {@code s}, trains on it, and the learner admits it
 * while {@code s - p <= B} ({@code --max-staleness-steps}; with the optional bound of {@code L} policy
 * versions, one every {@code C} steps, the effective bound is {@code B' = min(B, (L + 1) C - 1)}). If the
 * learner read groups exactly in sampling order, every group sampled at {@code p} would be admitted as long
 * as all generators together had sampled at most {@code (p + B' + 1) N} groups. It does not: it reads its
 * advantage partitions a fetch at a time, so a group can be overtaken by later groups of other partitions
 * (with the window at {@code B + 1 = 26} a default {@code gopo run} dropped 70 of 5,056 groups, overtaken by
 * up to about 10 steps). Half of the bound is therefore left for that reordering:
 *
 * <pre>
 *   W = max(C, ceil((B' + 1) / 2))      steps of groups sampled ahead of the newest announced step
 *   nominal staleness <= W - 1,  reordering headroom B' + 1 - W steps
 * </pre>
 *
 * Generator {@code i} gets the share {@code share_i(n) = floor((n N + i) / k)} of {@code n} steps' groups;
 * the shares of the {@code k} generators add up to exactly {@code n N} (Hermite's identity), so no
 * rounding lets the total overshoot. The generator samples while its own count is below
 * {@code share_i(p + W)} (counted from its {@linkplain Ledger start}) and pauses its prompt consumer
 * otherwise; every newly announced step adds {@code N / k} groups of budget.
 *
 * <p>The learner announces a version only every {@code C} steps ({@code --checkpoint-every}), or every
 * step with {@code --announce-every-step} ({@link dev.gopo.platform.VersionCadence#stepsBetweenVersions()}). To get from one
 * announcement to the next it needs {@code C N} groups sampled after the first, so {@code W >= C} is required
 * ({@code B >= C - 1}, {@link dev.gopo.platform.VersionCadence#smallestStalenessBound()}: the learner warns when that does not
 * hold, {@code gopo run} refuses it), else the pipeline would stop. With {@code W = C} the learner
 * waits for fresh samples after every announcement; each step of {@code W - C} lets sampling run one step
 * ahead. For reordering headroom keep {@code B >= 2C - 1} (the defaults: {@code B = 25}, {@code C = 10},
 * {@code W = 13}). {@code B = 0}, {@code C = 1} is lockstep: {@code N} groups sampled with the newest
 * weights, then a pause until the learner has trained on them.
 *
 * @param groupsPerStep   the learner's groups per optimiser step, {@code N}
 * @param generators      the number of generators sharing the prompts, {@code k}
 * @param generatorIndex  this generator's index {@code i}, {@code 0 <= i < k}
 * @param windowSteps     {@code W}, optimiser steps of groups that may be sampled ahead of the newest announced step;
 *                        0 = no budget (backpressure off)
 */
public record StepBudget(int groupsPerStep, int generators, int generatorIndex, long windowSteps) {
    /** No budget: the generator samples as fast as it can (only {@code maxGroupsPerVersion} may still hold it). */
    public static final StepBudget OFF = new StepBudget(1, 1, 0, 0);

    public StepBudget {
        if (groupsPerStep < 1) {
            throw new IllegalArgumentException("--groups-per-step must be >= 1, got " + groupsPerStep);
        }
        if (generators < 1) {
            throw new IllegalArgumentException("--generators must be >= 1, got " + generators);
        }
        if (generatorIndex < 0 || generatorIndex >= generators) {
            throw new IllegalArgumentException("--generator-index must be in [0, --generators - 1] = [0, " + (generators - 1) + "], got "
                    + generatorIndex);
        }
        if (windowSteps < 0) {
            throw new IllegalArgumentException("the step window must be >= 0 (0 = off), got " + windowSteps);
        }
    }

    /**
     * The budget for a learner with staleness bound {@code maxStalenessSteps} (B) and, optionally, a bound of
     * {@code maxPolicyLag} (L) versions announced every {@code versionEverySteps} (C, {@link dev.gopo.platform.VersionCadence#stepsBetweenVersions()}) steps; {@code maxPolicyLag < 0}
     * or {@code Long.MAX_VALUE} means no version bound. Window {@code W = max(C, ceil((B' + 1) / 2))} with
     * {@code B' = min(B, (L + 1) C - 1)}.
     */
    public static StepBudget forLearner(int groupsPerStep, int generators, int generatorIndex, long maxStalenessSteps, long maxPolicyLag,
                                        int versionEverySteps) {
        if (maxStalenessSteps < 0) {
            throw new IllegalArgumentException("--max-staleness-steps must be >= 0, got " + maxStalenessSteps);
        }
        if (versionEverySteps < 1) {
            throw new IllegalArgumentException("policy versions must come every >= 1 steps, got " + versionEverySteps);
        }
        long bound = maxStalenessSteps;
        if (maxPolicyLag >= 0 && maxPolicyLag < Long.MAX_VALUE / versionEverySteps - 1) {
            bound = Math.min(bound, (maxPolicyLag + 1) * versionEverySteps - 1);
        }
        long window = Math.max(versionEverySteps, (bound + 2) / 2);
        return new StepBudget(groupsPerStep, generators, generatorIndex, window);
    }

    public boolean isOff() {
        return windowSteps == 0;
    }

    /** This generator's share of {@code steps} steps' groups: {@code floor((steps N + i) / k)}; the k shares sum to {@code steps N}. */
    public long share(long steps) {
        return Math.floorDiv(steps * groupsPerStep + generatorIndex, generators);
    }

    /**
     * One generator's account: groups sampled against the budget since a base step. It starts at the step of the policy
     * the generator starts with; when the generator has fallen behind its share of what the learner has already trained
     * (a generator restarted into a running pipeline, or one slower than its peers), nothing of its own is queued, so the
     * account restarts at the announced step instead of granting the backlog all at once.
     *
     * <p><b>Liveness.</b> The budget counts groups sampled, not groups the learner can use. A group dead-lettered on its
     * way (a bad reward, a timed-out group) or dropped as stale takes one group out of the {@code W N} the generators may
     * keep ahead, for good; after {@code (W - C) N} such losses the learner cannot reach its next announcement while every
     * generator waits for it. The generator cannot see those losses, but it sees their effect: no announcement although
     * its budget has been used up for much longer than the learner ever took between announcements. Then
     * ({@link #grantIfStalled}) it grants itself one more step of groups, {@code share(1)}, and says so; a grant stays
     * until the account restarts. The threshold is {@code max(STALL_FLOOR, 3 × the longest gap between announcements seen)}
     * (gaps that needed a grant not counted), so a learner that is only slow is not mistaken for a starved one once its pace is known.
     */
    public static final class Ledger {
        /** The least time a used-up budget waits for an announcement before it grants one more step. */
        public static final java.time.Duration STALL_FLOOR = java.time.Duration.ofSeconds(60);
        private final StepBudget budget;
        private long baseStep;
        private long baseGroups;
        private long step;
        private long grantedSteps;
        private long lastAnnouncedNanos = Long.MIN_VALUE;
        private long longestGapNanos;
        private long exhaustedSinceNanos = Long.MIN_VALUE;
        private boolean grantedSinceAnnouncement;

        public Ledger(StepBudget budget, long startStep) {
            this.budget = budget;
            this.baseStep = startStep;
            this.step = startStep;
        }

        /** The generator now samples with the weights of {@code announcedStep}, having sampled {@code sampled} groups in all. */
        public void announced(long announcedStep, long sampled) {
            announced(announcedStep, sampled, System.nanoTime());
        }

        /** {@link #announced(long, long)} at {@code nowNanos} ({@link System#nanoTime()}). */
        public void announced(long announcedStep, long sampled, long nowNanos) {
            if (announcedStep <= step) {
                return;
            }
            step = announcedStep;
            if (lastAnnouncedNanos != Long.MIN_VALUE && !grantedSinceAnnouncement) {
                // A gap that needed a grant measures the stall, not the learner's pace: counting it would raise the
                // threshold with every stall.
                longestGapNanos = Math.max(longestGapNanos, nowNanos - lastAnnouncedNanos);
            }
            lastAnnouncedNanos = nowNanos;
            grantedSinceAnnouncement = false;
            exhaustedSinceNanos = Long.MIN_VALUE;
            if (sampled - baseGroups < budget.share(announcedStep - baseStep)) {
                baseStep = announcedStep;
                baseGroups = sampled;
                grantedSteps = 0;
            }
        }

        /** How many groups in all (since the generator started) it may have sampled at the current step. */
        public long allowance() {
            return budget.isOff() ? Long.MAX_VALUE : baseGroups + budget.share(step - baseStep + budget.windowSteps() + grantedSteps);
        }

        /** True when {@code sampled} groups use up the budget: pause until the learner announces a newer step. */
        public boolean exhausted(long sampled) {
            return !budget.isOff() && sampled >= allowance();
        }

        /**
         * Called while paused: true (and one more step of groups granted) when the budget has been used up without an
         * announcement for the stall threshold, {@code max(STALL_FLOOR, 3 × longest gap between announcements)}.
         */
        public boolean grantIfStalled(long sampled, long nowNanos) {
            if (!exhausted(sampled)) {
                exhaustedSinceNanos = Long.MIN_VALUE;
                return false;
            }
            if (exhaustedSinceNanos == Long.MIN_VALUE) {
                exhaustedSinceNanos = nowNanos;
                return false;
            }
            if (nowNanos - exhaustedSinceNanos < stallThresholdNanos()) {
                return false;
            }
            grantedSteps++;
            grantedSinceAnnouncement = true;
            exhaustedSinceNanos = nowNanos;
            return true;
        }

        /** {@code max(STALL_FLOOR, 3 × the longest gap between announcements seen so far)}, in nanoseconds. */
        public long stallThresholdNanos() {
            return Math.max(STALL_FLOOR.toNanos(), 3 * longestGapNanos);
        }

        /** Steps of groups granted because the learner stalled, since the account last restarted. */
        public long grantedSteps() {
            return grantedSteps;
        }
    }
}
