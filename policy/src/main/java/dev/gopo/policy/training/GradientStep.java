package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * One optimisation step, shared by the RL {@link PolicyTrainer}, the supervised warm start and
 * the reward-model trainer: forward and backward inside a {@link GradientCollector}, global
 * gradient-norm clipping ({@link GradientClipping}), one {@link AdamW} update, then the gradients
 * reset to zero (PyTorch accumulates into {@code .grad}).
 *
 * <p>When the loss or the gradient norm is not finite, no update is applied and the step is
 * recomputed once from the same inputs, and an error is logged with both attempts' values. The
 * non-finite norms once seen here ("transient", more often under load) were not a PyTorch fault
 * but scalars freed by the GC before backward read them ({@code dev.gopo.policy.model.Scalars},
 * policy README "Scalars and autograd"); with that fixed, the same inputs give the same step, so a
 * recomputation that comes out finite is a bug to report, not noise, hence the error level. If the
 * recomputed step is not finite either, the inputs themselves overflow: the update is skipped,
 * weights and optimizer state are unchanged and {@link Outcome#applied()} is false, so each
 * caller decides whether that is an error or tolerated a few times (long supervised runs).
 *
 * <p>The forward pass must attach its arrays, scalars included, to {@code scratch}, which stays
 * open until after backward.
 */
public final class GradientStep {

    private static final Logger log = LoggerFactory.getLogger(GradientStep.class);

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
     * @param forward      what the forward pass returned (e.g. the loss terms), for the caller's metrics
     * @param loss         the scalar loss value
     * @param gradNorm     global gradient L2 norm before clipping
     * @param learningRate the learning rate used, 0 when the update was skipped
     * @param applied      false when the loss or gradient norm was not finite twice and the update was skipped
     * @param recomputed   true when a first, non-finite attempt was discarded and the step computed again
     */
    public record Outcome<T>(T forward, double loss, double gradNorm, double learningRate, boolean applied,
                             boolean recomputed) {}

    /**
     * Runs one step on a loss built by {@code loss}.
     *
     * @param scratch the per-step manager (a child of the parameters' manager) that receives every temporary
     * @param loss    builds the scalar loss from the current parameters, its arrays in {@code scratch}
     */
    public Outcome<NDArray> run(NDManager scratch, Function<NDManager, NDArray> loss) {
        return run(scratch, loss, Function.identity());
    }

    /**
     * Runs one step whose forward pass returns more than the loss (e.g. metrics terms).
     *
     * @param scratch the per-step manager that receives every temporary
     * @param forward the forward pass from the current parameters, its arrays in {@code scratch}
     * @param lossOf  picks the scalar, differentiable loss out of the forward result
     */
    public <T> Outcome<T> run(NDManager scratch, Function<NDManager, T> forward, Function<? super T, NDArray> lossOf) {
        Outcome<T> first = attempt(scratch, forward, lossOf, false);
        if (first.applied()) {
            return first;
        }
        Outcome<T> second = attempt(scratch, forward, lossOf, true);
        if (second.applied()) {
            log.error("non-finite step: loss {}, gradient norm {}; the update was discarded and the step recomputed "
                    + "from the same inputs, which gave loss {}, gradient norm {} (applied). The same inputs must give "
                    + "the same step: look for a (Number) scalar or an array closed before backward "
                    + "(policy README, \"Scalars and autograd\")", first.loss(), first.gradNorm(), second.loss(), second.gradNorm());
        } else {
            log.error("non-finite step: loss {}, gradient norm {}; recomputed from the same inputs: loss {}, gradient "
                    + "norm {}, not finite either. Update skipped, weights and optimizer state unchanged",
                    first.loss(), first.gradNorm(), second.loss(), second.gradNorm());
        }
        return second;
    }

    /** One forward/backward/clip/update; no update when the loss or gradient norm is not finite. Gradients end zeroed. */
    private <T> Outcome<T> attempt(NDManager scratch, Function<NDManager, T> forward, Function<? super T, NDArray> lossOf,
                                   boolean recomputed) {
        boolean gradientsWritten = false;
        try {
            T result;
            float value;
            try (GradientCollector collector = scratch.getEngine().newGradientCollector()) {
                result = forward.apply(scratch);
                NDArray l = lossOf.apply(result);
                value = l.getFloat();
                gradientsWritten = true;
                collector.backward(l);
            }
            Map<String, NDArray> gradients = gradients(scratch);
            double norm = GradientClipping.clipGlobalNorm(gradients.values(), maxGradNorm);
            if (!Float.isFinite(value) || !Double.isFinite(norm)) {
                return new Outcome<>(result, value, norm, 0.0, false, recomputed);
            }
            double lr = optimizer.update(parameters, gradients, scratch);
            return new Outcome<>(result, value, norm, lr, true, recomputed);
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
