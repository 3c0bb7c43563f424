package dev.gopo.tasks.reward;

import dev.gopo.policy.training.AdamWConfig;

/**
 * How a reward model is trained.
 *
 * @param steps     optimisation steps, >= 1
 * @param batchSize preference pairs per step, >= 1
 * @param optimizer AdamW settings (learning rate, warm-up, decay, clipping)
 * @param seed      seed of the batch order
 * @param logEvery  log loss and running accuracy every this many steps, >= 1
 */
public record RewardTrainingConfig(int steps, int batchSize, AdamWConfig optimizer, long seed, int logEvery) {

    public RewardTrainingConfig {
        if (steps < 1) {
            throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize + " (32 works well)");
        }
        if (optimizer == null) {
            throw new IllegalArgumentException("optimizer settings are missing: use AdamWConfig.defaults(1e-3)");
        }
        if (logEvery < 1) {
            throw new IllegalArgumentException("logEvery must be >= 1, got " + logEvery);
        }
    }

    /** {@code steps} steps of 32 pairs, AdamW lr 1e-3 after 50 warm-up steps, decay 0.01, clip 1.0. */
    public static RewardTrainingConfig defaults(int steps, long seed) {
        return new RewardTrainingConfig(steps, 32,
                new AdamWConfig(1e-3, Math.min(50, steps), 0.9, 0.999, 1e-8, 0.01, 1.0), seed, 100);
    }
}
