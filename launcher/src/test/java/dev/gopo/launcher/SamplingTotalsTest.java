package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.TrainingMetrics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SamplingTotalsTest {

    private static TrainingMetrics step(long step, double trainGroups, double droppedSoFar) {
        return TrainingMetrics.newBuilder().setLearnerId("learner-0").setStep(step).setPolicyVersion(step).setTimestampMs(step)
                .setMetrics(Map.of("train/groups", trainGroups, "stale/dropped_groups", droppedSoFar)).build();
    }

    @Test
    void trainedIsSummedOverStepsAndDroppedIsTheLastStepsCumulativeCounter() {
        // 3 steps of 16 groups; the learner's counter of stale groups is cumulative: 0, then 5, then 8 in all
        SamplingTotals totals = SamplingTotals.of(List.of(step(1, 16, 0), step(2, 16, 5), step(3, 16, 8)), 80);
        assertThat(totals).isEqualTo(new SamplingTotals(80, 48, 8));
        assertThat(totals.wastedShare()).as("8 / 80").isEqualTo(0.1);
        assertThat(totals.neither()).as("80 - 48 - 8").isEqualTo(24);
    }

    @Test
    void wastedShareIsDroppedAsStaleOverSampled() {
        assertThat(new SamplingTotals(1800, 1600, 200).wastedShare()).as("200 / 1800").isCloseTo(0.1111, within(1e-4));
        assertThat(new SamplingTotals(5056, 4800, 70).wastedShare()).as("70 / 5056").isCloseTo(0.0138, within(1e-4));
        assertThat(new SamplingTotals(4960, 4800, 0).wastedShare()).isZero();
    }

    @Test
    void nothingSampledIsNoWasteAndNoDivisionByZero() {
        assertThat(new SamplingTotals(0, 0, 0).wastedShare()).isZero();
        assertThat(new SamplingTotals(0, 0, 3).wastedShare()).isZero();
        SamplingTotals noSteps = SamplingTotals.of(List.of(), 0);
        assertThat(noSteps).isEqualTo(new SamplingTotals(0, 0, 0));
        assertThat(noSteps.neither()).isZero();
    }

    @Test
    void stepsWithoutTheCountersCountAsNone() {
        TrainingMetrics older = TrainingMetrics.newBuilder().setLearnerId("learner-0").setStep(1).setPolicyVersion(0).setTimestampMs(1)
                .setMetrics(Map.of("loss/policy", 0.1)).build();
        assertThat(SamplingTotals.of(List.of(older), 16)).isEqualTo(new SamplingTotals(16, 0, 0));
    }

    @Test
    void neitherIsNeverNegative() {
        assertThat(new SamplingTotals(10, 12, 1).neither()).isZero();
    }

    @Test
    void negativeCountsAreRefused() {
        assertThatThrownBy(() -> new SamplingTotals(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sampled -1");
    }
}
