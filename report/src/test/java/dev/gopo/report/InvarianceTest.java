package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class InvarianceTest {
    @Test
    void largestAbsoluteDifferenceOverTheStepsBothCurvesHave() {
        Invariance invariance = Invariance.of(new TreeMap<>(Map.of(0L, 0.0, 10L, 0.5, 20L, 1.0, 30L, 2.0)),
                new TreeMap<>(Map.of(0L, 0.0, 10L, 0.25, 20L, 1.375, 40L, 9.0)));
        assertThat(invariance.steps()).isEqualTo(3);
        assertThat(invariance.max()).isCloseTo(0.375, within(1e-12));
    }

    @Test
    void identicalCurvesDifferByExactlyZero() {
        TreeMap<Long, Double> curve = new TreeMap<>(Map.of(0L, 0.1, 10L, 0.7));
        assertThat(Invariance.of(curve, new TreeMap<>(curve))).isEqualTo(new Invariance(2, 0.0));
    }

    @Test
    void noCommonStepHasNoDifference() {
        Invariance invariance = Invariance.of(new TreeMap<>(Map.of(0L, 1.0)), new TreeMap<>(Map.of(10L, 1.0)));
        assertThat(invariance.steps()).isZero();
        assertThat(invariance.max()).isNaN();
    }
}
