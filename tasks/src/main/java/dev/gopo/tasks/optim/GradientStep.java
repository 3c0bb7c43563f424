package dev.gopo.tasks.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import dev.gopo.policy.training.AdamW;
import dev.gopo.policy.training.GradientClipping;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One supervised optimisation step shared by the reward-model trainer and the supervised warm
 * start: forward and backward inside a {@link GradientCollector}, global gradient-norm clipping,
 * one update with the policy module's {@link AdamW}, then the gradients reset (PyTorch
 * accumulates into {@code .grad}). The policy module's own trainer does the same for the RL loss
 * but keeps these steps private, hence this small copy of the pattern.
 */
public final class GradientStep {

    private final Map<String, NDArray> parameters;
    private final AdamW optimizer;
    private final double maxGradNorm;

    /**
     * @param parameters  the trained tensors (they must already require gradients)
     * @param optimizer   owns the moments of exactly these parameters
     * @param maxGradNorm global L2 clip, {@code Double.POSITIVE_INFINITY} to disable
     */
    public GradientStep(Map<String, NDArray> parameters, AdamW optimizer, double maxGradNorm) {
        this.parameters = parameters;
        this.optimizer = optimizer;
        this.maxGradNorm = maxGradNorm;
    }

    /**
     * What one step did.
     *
     * @param applied false when the loss or gradient norm was not finite and the update was skipped
     */
    public record Result(double loss, double gradNorm, double learningRate, boolean applied) {}

    /**
     * Runs one step.
     *
     * @param scratch the per-step manager (a child of the parameters' manager) that receives every temporary
     * @param loss    builds the scalar loss from the current parameters, its arrays in {@code scratch}
     * @return what happened; when the loss or gradient norm is not finite the update is skipped
     *     (weights and optimizer state unchanged) and {@link Result#applied()} is false, so the
     *     caller decides how many such steps it tolerates
     */
    public Result run(NDManager scratch, Function<NDManager, NDArray> loss) {
        boolean gradientsWritten = false;
        try {
            float value;
            try (GradientCollector collector = scratch.getEngine().newGradientCollector()) {
                NDArray l = loss.apply(scratch);
                value = l.getFloat();
                gradientsWritten = true;
                collector.backward(l);
            }
            Map<String, NDArray> gradients = gradients(scratch);
            double norm = GradientClipping.clipGlobalNorm(gradients.values(), maxGradNorm);
            if (!Float.isFinite(value) || !Double.isFinite(norm)) {
                return new Result(value, norm, 0.0, false);
            }
            double lr = optimizer.update(parameters, gradients, scratch);
            return new Result(value, norm, lr, true);
        } finally {
            if (gradientsWritten) {
                for (NDArray g : gradients(scratch).values()) {
                    // Assignment, not g * 0, so a NaN gradient is cleared too.
                    g.set(new NDIndex("..."), 0f);
                }
            }
        }
    }

    /** Gradient handles owned by {@code scratch}; they share storage with the parameters' {@code .grad}. */
    private Map<String, NDArray> gradients(NDManager scratch) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray g = e.getValue().getGradient();
            g.attach(scratch);
            out.put(e.getKey(), g);
        }
        return out;
    }
}
