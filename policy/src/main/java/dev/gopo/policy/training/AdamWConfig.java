package dev.gopo.policy.training;

/**
 * Optimizer settings: AdamW with decoupled weight decay, warm-up schedule and global gradient
 * norm clipping.
 *
 * @param peakLr       learning rate after warm-up (see {@link WarmupSchedule})
 * @param warmupSteps  linear warm-up updates
 * @param beta1        first-moment decay, in [0, 1)
 * @param beta2        second-moment decay, in [0, 1)
 * @param eps          denominator guard, > 0
 * @param weightDecay  decoupled weight decay, >= 0, applied to matrices only (not to biases and
 *                     LayerNorm parameters)
 * @param maxGradNorm  clip the global L2 norm of all gradients to this, > 0; infinity disables clipping
 */
public record AdamWConfig(double peakLr, int warmupSteps, double beta1, double beta2, double eps,
                          double weightDecay, double maxGradNorm) {

    public AdamWConfig {
        new WarmupSchedule(peakLr, warmupSteps); // validates both
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("beta1 must be in [0, 1), got " + beta1 + " (usual: 0.9)");
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("beta2 must be in [0, 1), got " + beta2 + " (usual: 0.999)");
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a finite number > 0, got " + eps + " (usual: 1e-8)");
        }
        if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay must be a finite number >= 0, got " + weightDecay);
        }
        if (!(maxGradNorm > 0)) {
            throw new IllegalArgumentException("maxGradNorm must be > 0, got " + maxGradNorm
                    + " (usual: 1.0; Double.POSITIVE_INFINITY disables clipping)");
        }
    }

    /** lr with 10 warm-up steps (the paper's shape), betas 0.9/0.999, no weight decay, clip at 1.0. */
    public static AdamWConfig defaults(double peakLr) {
        return new AdamWConfig(peakLr, 10, 0.9, 0.999, 1e-8, 0.0, 1.0);
    }

    /** The learning-rate schedule these settings describe. */
    public WarmupSchedule schedule() {
        return new WarmupSchedule(peakLr, warmupSteps);
    }
}
