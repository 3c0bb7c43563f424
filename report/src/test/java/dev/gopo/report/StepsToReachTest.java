package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class StepsToReachTest {
    private static SortedMap<Long, Double> curve(double... valuesEvery10Steps) {
        SortedMap<Long, Double> curve = new TreeMap<>();
        for (int i = 0; i < valuesEvery10Steps.length; i++) {
            curve.put(10L * i, valuesEvery10Steps[i]);
        }
        return curve;
    }

    @Test
    void firstStepAtWhichEachEstimatorReachesEveryOthersFinalMean() {
        Map<String, SortedMap<Long, Double>> means = new LinkedHashMap<>();
        means.put("GOPO", curve(0.0, 0.3, 0.6, 0.9));   // final 0.9
        means.put("GRPO", curve(0.0, 0.2, 0.4, 0.5));   // final 0.5, peaks at its end
        means.put("RLOO", curve(0.1, 0.7, 0.6, 0.6));   // final 0.6 (its peak 0.7 at step 10 does not count)

        List<StepsToReach.Entry> entries = StepsToReach.compute(means);

        assertThat(entries).containsExactly(
                new StepsToReach.Entry("GOPO", "GRPO", 0.5, OptionalLong.of(20)),
                new StepsToReach.Entry("GOPO", "RLOO", 0.6, OptionalLong.of(20)),   // reaching counts equality
                new StepsToReach.Entry("GRPO", "GOPO", 0.9, OptionalLong.empty()),
                new StepsToReach.Entry("GRPO", "RLOO", 0.6, OptionalLong.empty()),
                new StepsToReach.Entry("RLOO", "GOPO", 0.9, OptionalLong.empty()),
                new StepsToReach.Entry("RLOO", "GRPO", 0.5, OptionalLong.of(10)));
    }

    @Test
    void anEstimatorWithoutPointsIsLeftOut() {
        Map<String, SortedMap<Long, Double>> means = new LinkedHashMap<>();
        means.put("GOPO", curve(0.0, 1.0));
        means.put("GRPO", new TreeMap<>());
        assertThat(StepsToReach.compute(means)).isEmpty();
    }

    @Test
    void stepsNeedNotBeEvenlySpaced() {
        SortedMap<Long, Double> curve = new TreeMap<>(Map.of(5L, -2.0, 7L, -1.5, 40L, -1.0));
        assertThat(StepsToReach.firstStepReaching(curve, -1.5)).hasValue(7);
        assertThat(StepsToReach.firstStepReaching(curve, -0.5)).isEmpty();
    }
}
