package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LearnerMetricsTest {
    @Test
    void stalenessHistogramSumsEachCounterOverSteps() {
        LearnerMetrics metrics = new LearnerMetrics(List.of(
                new MetricRow(1, "lag/hist/0", 4), new MetricRow(1, "lag/hist/2", 1),
                new MetricRow(2, "lag/hist/0", 3), new MetricRow(2, "lag/hist/10", 2),
                new MetricRow(2, "lag/hist/overflow", 7), new MetricRow(2, "lag/optimizer_steps", 1.5)));
        assertThat(metrics.stalenessHistogram()).containsExactly(Map.entry(0, 7.0), Map.entry(2, 1.0), Map.entry(10, 2.0));
    }

    @Test
    void aCurveKeepsTheLastRowOfAStepAndLeavesOutEmptyValues() {
        LearnerMetrics metrics = new LearnerMetrics(List.of(new MetricRow(1, "loss/kl", 0.1), new MetricRow(2, "loss/kl", Double.NaN),
                new MetricRow(1, "loss/kl", 0.2), new MetricRow(3, "loss/policy", 5)));
        assertThat(metrics.curve("loss/kl")).containsExactly(Map.entry(1L, 0.2));
        assertThat(metrics.curve("grad/norm")).isEmpty();
    }
}
