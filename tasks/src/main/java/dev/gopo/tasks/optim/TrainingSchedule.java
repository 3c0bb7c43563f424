package dev.gopo.tasks.optim;

import dev.gopo.policy.training.AdamWConfig;

/**
 * How a supervised model of this module is trained: the reference policy's warm start and the
 * reward models both take {@code steps} AdamW steps on batches from shuffled passes over their
 * data ({@link ShuffledBatches}).
 *
 * @param steps     optimisation steps, >= 1
 * @param batchSize examples (demonstrations or preference pairs) per step, >= 1
 * @param optimizer AdamW settings (learning rate, warm-up, decay, clipping)
 * @param seed      seed of the batch order
 * @param logEvery  log the mean loss every this many steps, >= 1
 */
public record TrainingSchedule(int steps, int batchSize, AdamWConfig optimizer, long seed, int logEvery) {

    public TrainingSchedule {
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

    /**
     * {@code steps} steps of {@code batchSize}, AdamW at {@code learningRate} after
     * {@code min(warmupSteps, steps)} warm-up steps, betas 0.9/0.999, decay 0.01, gradient clip 1.0.
     */
    public static TrainingSchedule of(int steps, int batchSize, double learningRate, int warmupSteps, long seed,
                                      int logEvery) {
        return new TrainingSchedule(steps, batchSize,
                new AdamWConfig(learningRate, Math.min(warmupSteps, steps), 0.9, 0.999, 1e-8, 0.01, 1.0), seed, logEvery);
    }
}
