package dev.gopo.tasks.warmstart;

import dev.gopo.policy.training.AdamWConfig;

/**
 * How the supervised reference policy is trained.
 *
 * @param steps     optimisation steps, >= 1
 * @param batchSize demonstrations per step, >= 1
 * @param optimizer AdamW settings
 * @param seed      seed of the batch order
 * @param logEvery  log the mean loss every this many steps, >= 1
 */
public record WarmStartConfig(int steps, int batchSize, AdamWConfig optimizer, long seed, int logEvery) {

    public WarmStartConfig {
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

    /** {@code steps} steps of 32 demonstrations, AdamW lr 2e-3 after 30 warm-up steps, decay 0.01, clip 1.0. */
    public static WarmStartConfig defaults(int steps, long seed) {
        return new WarmStartConfig(steps, 32,
                new AdamWConfig(2e-3, Math.min(30, steps), 0.9, 0.999, 1e-8, 0.01, 1.0), seed, 50);
    }
}
