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
 * step with {@code --announce-every-step}. To get from one announcement to the next it needs {@code C N}
 * groups sampled after the first, so {@code W >= C} is required ({@code B >= C - 1}; the learner
 * warns when that does not hold), else the pipeline would stop. With {@code W = C} the learner
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
     * {@code maxPolicyLag} (L) versions announced every {@code versionEverySteps} (C) steps; {@code maxPolicyLag < 0}
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
     */
    public static final class Ledger {
        private final StepBudget budget;
        private long baseStep;
        private long baseGroups;
        private long step;

        public Ledger(StepBudget budget, long startStep) {
            this.budget = budget;
            this.baseStep = startStep;
            this.step = startStep;
        }

        /** The generator now samples with the weights of {@code announcedStep}, having sampled {@code sampled} groups in all. */
        public void announced(long announcedStep, long sampled) {
            if (announcedStep <= step) {
                return;
            }
            step = announcedStep;
            if (sampled - baseGroups < budget.share(announcedStep - baseStep)) {
                baseStep = announcedStep;
                baseGroups = sampled;
            }
        }

        /** How many groups in all (since the generator started) it may have sampled at the current step. */
        public long allowance() {
            return budget.isOff() ? Long.MAX_VALUE : baseGroups + budget.share(step - baseStep + budget.windowSteps());
        }

        /** True when {@code sampled} groups use up the budget: pause until the learner announces a newer step. */
        public boolean exhausted(long sampled) {
            return !budget.isOff() && sampled >= allowance();
        }
    }
}
