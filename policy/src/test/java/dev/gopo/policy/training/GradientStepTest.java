package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loss {@code sum(w * x)} on a 2-vector {@code w = (1, 2)}, {@code x = (3, -1)}: gradient
 * {@code x}, norm {@code sqrt(10)}. A forward that fails (NaN) on its first call stands in for the
 * transient fault the learner README describes; the recomputed step must equal an undisturbed one.
 */
class GradientStepTest {

    private static final AdamWConfig CONFIG = new AdamWConfig(0.1, 0, 0.9, 0.999, 1e-8, 0.0, Double.POSITIVE_INFINITY);

    private record Run(GradientStep.Outcome<NDArray> outcome, float[] weights, long optimizerStep) {}

    private static Run step(Function<Integer, Float> factorOfCall) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.create(new float[] {1f, 2f}, new Shape(2));
            w.setRequiresGradient(true);
            Map<String, NDArray> parameters = new LinkedHashMap<>();
            parameters.put("w", w);
            try (AdamW optimizer = new AdamW(CONFIG, parameters, manager)) {
                AtomicInteger calls = new AtomicInteger();
                GradientStep.Outcome<NDArray> outcome;
                try (NDManager scratch = manager.newSubManager()) {
                    outcome = new GradientStep(parameters, optimizer, CONFIG.maxGradNorm()).run(scratch, m -> {
                        NDArray x = m.create(new float[] {3f, -1f});
                        return w.mul(x).sum().mul(factorOfCall.apply(calls.getAndIncrement()));
                    });
                }
                return new Run(outcome, w.toFloatArray(), optimizer.step());
            }
        }
    }

    @Test
    void aFiniteStepIsAppliedOnce() {
        Run run = step(call -> 1f);
        assertThat(run.outcome().applied()).isTrue();
        assertThat(run.outcome().recomputed()).isFalse();
        assertThat(run.outcome().loss()).isEqualTo(1.0);                      // 3 - 2
        assertThat(run.outcome().gradNorm()).isCloseTo(Math.sqrt(10), org.assertj.core.data.Offset.offset(1e-6));
        assertThat(run.optimizerStep()).isEqualTo(1);
    }

    @Test
    void aTransientNonFiniteAttemptIsRecomputedAndTheResultEqualsAnUndisturbedStep() {
        Run undisturbed = step(call -> 1f);
        Run recomputed = step(call -> call == 0 ? Float.NaN : 1f);
        assertThat(recomputed.outcome().applied()).isTrue();
        assertThat(recomputed.outcome().recomputed()).isTrue();
        assertThat(recomputed.outcome().loss()).isEqualTo(undisturbed.outcome().loss());
        assertThat(recomputed.outcome().gradNorm()).isEqualTo(undisturbed.outcome().gradNorm());
        // The NaN gradients of the first attempt were cleared, and AdamW stepped exactly once.
        assertThat(recomputed.weights()).containsExactly(undisturbed.weights());
        assertThat(recomputed.optimizerStep()).isEqualTo(1);
    }

    @Test
    void inputsThatOverflowEveryTimeLeaveWeightsAndOptimizerUntouched() {
        Run run = step(call -> Float.POSITIVE_INFINITY);
        assertThat(run.outcome().applied()).isFalse();
        assertThat(run.outcome().recomputed()).isTrue();
        assertThat(run.weights()).containsExactly(1f, 2f);
        assertThat(run.optimizerStep()).isZero();
    }
}
