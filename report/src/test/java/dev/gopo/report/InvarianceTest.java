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

    private static StudyRow row(String transform, long seed, long step, double validationReward) {
        return new StudyRow("online", "GRPO", transform, seed, new EvalRow("summarise", step / 10, step, "GRPO", validationReward, 0, 0.5,
                0.5, 0.5, 0.4, 0.6));
    }

    @Test
    void finalDifferenceIsPairedBySeedAtEachCellsLastStep() {
        var identity = java.util.List.of(row("identity", 1, 0, 0.0), row("identity", 1, 20, 1.0), row("identity", 2, 20, 2.0),
                row("identity", 3, 20, 5.0));
        var transformed = java.util.List.of(row("power:3", 1, 20, 1.5), row("power:3", 1, 10, 9.0), row("power:3", 2, 20, 2.5));
        SeedInterval d = Invariance.pairedFinalDifference(identity, transformed).orElseThrow();
        // seeds 1 and 2 only (seed 3 has no transformed cell); both differences 0.5, so the interval has no width
        assertThat(d.seeds()).isEqualTo(2);
        assertThat(d.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(d.low()).isCloseTo(0.5, within(1e-12));
        assertThat(Invariance.pairedFinalDifference(identity, java.util.List.of())).isEmpty();
    }
}
