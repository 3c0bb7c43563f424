package dev.gopo.tasks.optim;

import dev.gopo.policy.training.GradientStep;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SkippedStepsTest {

    private static final Logger log = LoggerFactory.getLogger(SkippedStepsTest.class);
    private static final GradientStep.Outcome<Void> OK = new GradientStep.Outcome<>(null, 0.5, 1.0, 1e-3, true, false);
    private static final GradientStep.Outcome<Void> BAD = new GradientStep.Outcome<>(null, 0.5, Double.POSITIVE_INFINITY, 0, false, true);

    @Test
    void toleratesARareBadStepAndStopsADivergingRun() {
        SkippedSteps skipped = new SkippedSteps("test run", 500);   // limit max(3, 5) = 5
        skipped.record(OK, 1, log);
        for (int i = 0; i < 5; i++) {
            skipped.record(BAD, i + 2, log);
        }
        assertThat(skipped.skipped()).isEqualTo(5);
        assertThatThrownBy(() -> skipped.record(BAD, 9, log))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("test run: 6 steps had a non-finite loss or gradient (limit 5)")
                .hasMessageContaining("lower the learning rate");
    }
}
