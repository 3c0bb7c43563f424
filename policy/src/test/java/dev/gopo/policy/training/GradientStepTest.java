package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loss {@code sum(w * x)} on a 2-vector {@code w = (1, 2)}, {@code x = (3, -1)}: gradient
 * {@code x}, norm {@code sqrt(10)}. A forward that fails (NaN) on its first call stands in for a
 * non-finite attempt (like the freed-scalar fault, policy README "Scalars and autograd"): the
 * recomputed step must equal an undisturbed one, and the recomputation is logged as an error.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
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

    /** Captures what {@link GradientStep} logs while {@code body} runs. */
    private static List<ILoggingEvent> logged(Runnable body) {
        Logger logger = (Logger) LoggerFactory.getLogger(GradientStep.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            body.run();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list;
    }

    @Test
    void aFiniteStepLogsNothing() {
        assertThat(logged(() -> step(call -> 1f))).isEmpty();
    }

    @Test
    void aNonFiniteAttemptIsRecomputedLoggedAsAnErrorAndTheResultEqualsAnUndisturbedStep() {
        Run undisturbed = step(call -> 1f);
        Run[] holder = new Run[1];
        List<ILoggingEvent> events = logged(() -> holder[0] = step(call -> call == 0 ? Float.NaN : 1f));
        Run recomputed = holder[0];
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains("non-finite step: loss NaN").contains("recomputed")
                    .contains("loss 1.0").contains("(applied)");
        });
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
        Run[] holder = new Run[1];
        List<ILoggingEvent> events = logged(() -> holder[0] = step(call -> Float.POSITIVE_INFINITY));
        Run run = holder[0];
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.getLevel()).isEqualTo(Level.ERROR);
            assertThat(e.getFormattedMessage()).contains("not finite either").contains("Update skipped");
        });
        assertThat(run.outcome().applied()).isFalse();
        assertThat(run.outcome().recomputed()).isTrue();
        assertThat(run.weights()).containsExactly(1f, 2f);
        assertThat(run.optimizerStep()).isZero();
    }
}
