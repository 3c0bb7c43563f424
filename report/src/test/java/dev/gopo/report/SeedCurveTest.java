package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SeedCurveTest {
    private static StudyRow row(String estimator, long seed, long version, long step, double reward) {
        return new StudyRow("online", estimator, "identity", seed,
                new EvalRow("summarise", version, step, estimator, reward, 0, 0.5, 0.4, 0.5, 0.4, 0.6));
    }

    @Test
    void meanOverSeedsPerStepWithEstimatorsInTheStudyOrder() {
        List<SeedCurve> curves = SeedCurve.of(List.of(
                row("RLOO", 1, 1, 10, 0.5),
                row("GOPO", 1, 1, 10, 1.0), row("GOPO", 2, 1, 10, 2.0), row("GOPO", 3, 1, 10, 3.0),
                row("GOPO", 1, 2, 20, 4.0), row("GOPO", 2, 2, 20, Double.NaN)), EvalRow::validationReward);

        assertThat(curves).extracting(SeedCurve::estimator).containsExactly("GOPO", "RLOO");
        SeedCurve gopo = curves.get(0);
        assertThat(gopo.means()).isEqualTo(Map.of(10L, 2.0, 20L, 4.0));
        assertThat(gopo.points().get(10L).seeds()).isEqualTo(3);
        // the empty (NaN) field of seed 2 at step 20 is left out: one seed, no band
        assertThat(gopo.points().get(20L).hasBand()).isFalse();
        assertThat(gopo.minSeeds()).isEqualTo(1);
        assertThat(gopo.maxSeeds()).isEqualTo(3);
    }

    @Test
    void aSeedEvaluatedTwiceAtOneStepCountsOnceWithItsLaterVersion() {
        List<SeedCurve> curves = SeedCurve.of(List.of(row("GOPO", 1, 3, 10, 9.0), row("GOPO", 1, 2, 10, 1.0)),
                EvalRow::validationReward);
        assertThat(curves.get(0).points().get(10L)).isEqualTo(new SeedInterval(9.0, 9.0, 9.0, 1));
    }
}
