package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.training.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StepMetricsTest {
    private static AdvantageGroup withRewards(String id, double... rewards) {
        AdvantageGroup g = Fixtures.group(id, rewards.length, 0, 1);
        List<ScoredCompletion> cs = new ArrayList<>();
        for (int i = 0; i < rewards.length; i++) {
            cs.add(ScoredCompletion.newBuilder(g.getCompletions().get(i)).setReward(rewards[i]).build());
        }
        g.setCompletions(cs);
        return g;
    }

    @Test
    void rewardMetricsAreTheMeanRewardAndTheMeanWithinGroupStd() {
        // group a: rewards 1, 3 -> mean 2, std sqrt(((1-2)^2 + (3-2)^2) / 2) = 1
        // group b: rewards 5, 5, 5, 5 -> mean 5, std 0 (no ranking signal)
        List<AdvantageGroup> groups = List.of(withRewards("a", 1, 3), withRewards("b", 5, 5, 5, 5));
        StepResult r = new StepResult(1, 0.1, 0.1, 0.0, 1.0, 0.0, 0.5, 20, 1e-3, 10, false);
        Map<String, Double> m = StepMetrics.of(r, List.of(0L, 0L), List.of(0L, 0L), 0, 0, 0, 0, 0, 0, 1.0, groups);
        // every completion weighs the same: (1 + 3 + 5 * 4) / 6 = 4
        assertThat(m.get("reward/mean")).isCloseTo(4.0, within(1e-12));
        assertThat(m.get("reward/group_std_mean")).isCloseTo(0.5, within(1e-12));   // (1 + 0) / 2
        assertThat(m.get("train/groups")).isEqualTo(2.0);
        // population std of 0, 4, 8 = sqrt(32 / 3)
        assertThat(StepMetrics.groupStdMean(List.of(withRewards("c", 0, 4, 8)))).isCloseTo(Math.sqrt(32.0 / 3), within(1e-12));
    }

    @Test
    void theStalenessHistogramCountsTheStepsGroupsPerLagWithOnlyNonZeroBuckets() {
        List<AdvantageGroup> groups = List.of(withRewards("a", 1, 2), withRewards("b", 1, 2), withRewards("c", 1, 2),
                withRewards("d", 1, 2), withRewards("e", 1, 2));
        StepResult r = new StepResult(1, 0.1, 0.1, 0.0, 1.0, 0.0, 0.5, 20, 1e-3, 10, false);
        Map<String, Double> m = StepMetrics.of(r, List.of(3L, 0L, 3L, 7L, 3L), List.of(0L, 0L, 0L, 1L, 0L), 0, 0, 0, 0, 0, 0, 1.0, groups);
        assertThat(m).containsEntry("lag/hist/0", 1.0).containsEntry("lag/hist/3", 3.0).containsEntry("lag/hist/7", 1.0);
        assertThat(m.keySet().stream().filter(k -> k.startsWith("lag/hist/"))).containsExactly("lag/hist/0", "lag/hist/3", "lag/hist/7");
        // the buckets add up to the step's groups, and agree with the mean and the max
        assertThat(m.entrySet().stream().filter(e -> e.getKey().startsWith("lag/hist/")).mapToDouble(Map.Entry::getValue).sum())
                .isEqualTo(m.get("train/groups"));
        assertThat(m.get("lag/optimizer_steps")).isCloseTo(16.0 / 5, within(1e-12));
        assertThat(m.get("lag/optimizer_steps_max")).isEqualTo(7.0);
        assertThat(StepMetrics.stalenessHistogram(List.of())).isEmpty();
    }
}
