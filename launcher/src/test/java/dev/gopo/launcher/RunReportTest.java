package dev.gopo.launcher;

import static dev.gopo.launcher.VerdictTest.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.TrainingMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class RunReportTest {

    private static TrainingMetrics step(long step, Map<String, Double> extra) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss/policy", -0.0125);
        m.put("loss/kl", 0.00042);
        m.put("ratio/mean", 1.0003);
        m.put("ratio/clip_fraction", 0.031);
        m.put("grad/norm", 0.812);
        m.put("throughput/tokens_per_s", 1520.4);
        m.put("lag/policy_versions", step % 2 == 0 ? 1.0 : 0.0);
        m.putAll(extra);
        return TrainingMetrics.newBuilder().setLearnerId("learner-0").setStep(step).setPolicyVersion(step / 2)
                .setMetrics(m).setTimestampMs(step).build();
    }

    private static final List<EvaluationResult> RESULTS = List.of(
            result("summarise", 0, -4.87, 0.42, 0.5, 0.5, 0.5),
            result("summarise", 3, -4.0, 0.50, 0.58, 0.49, 0.66),
            result("summarise", 6, -3.1, 0.61, 0.68, 0.61, 0.75),
            result("constrained", 0, 2.97, 0.42, 0.5, 0.5, 0.5),
            result("constrained", 2, 3.3, 0.47, 0.55, 0.47, 0.63),
            result("constrained", 6, 3.63, 0.44, 0.52, 0.44, 0.60));

    @Test
    void printsTheStepsTheLearnerTotalsEachTasksCurveAndOneVerdictPerTask() {
        List<TrainingMetrics> metrics = List.of(
                step(2, Map.of("steps/recomputed", 1.0, "stale/dropped_groups", 0.0, "steps/skipped_non_finite", 0.0)),
                step(1, Map.of("steps/recomputed", 0.0, "stale/dropped_groups", 0.0, "steps/skipped_non_finite", 0.0)),
                step(3, Map.of("steps/recomputed", 2.0, "stale/dropped_groups", 3.0, "steps/skipped_non_finite", 0.0)));
        String report = RunReport.format(metrics, RESULTS);
        List<String> lines = report.lines().toList();

        assertThat(lines).contains(
                "   step  loss/policy   loss/kl  ratio/mean  clip_frac  grad/norm  lag  tokens/s",
                "      1      -0.0125   0.00042      1.0003      0.031      0.812  0.0      1520",
                "   learner totals over 3 steps: steps/recomputed 2; steps/skipped_non_finite 0; stale/dropped_groups 3; "
                        + "mean lag/policy_versions 0.33",
                "   summarise           6   120            -3.1000       0.6100  0.680 [0.610, 0.750]             32x1",
                "   constrained         2    40             3.3000       0.4700  0.550 [0.470, 0.630]             32x1",
                "   summarise     reference policy: hidden gold 0.4200",
                "   summarise: improved: judge 0.680 [0.610, 0.750] at step 120 (validation reward -4.87 -> -3.10, hidden gold 0.42 -> 0.61)",
                "   constrained: no judge-confirmed change: judge 0.520 [0.440, 0.600] at step 120, best 0.550 [0.470, 0.630] at step 40 "
                        + "(validation reward 2.97 -> 3.63, hidden gold 0.42 -> 0.44)");
        // Steps in order, tasks by name, and exactly one verdict line per task.
        assertThat(report.indexOf("      1  ")).isLessThan(report.indexOf("      2  ")).isLessThan(report.indexOf("      3  "));
        assertThat(report.indexOf("   constrained         0")).isLessThan(report.indexOf("   summarise           0"));
        assertThat(lines.stream().filter(l -> l.matches("   (summarise|constrained): .*judge .*"))).hasSize(2);
        assertThat(report).contains("hidden gold = Task.goldQuality, the judge's measure, which the learner never sees");
        assertThat(report).contains("improved = the last evaluated version's 95% judge interval lies above 0.5");
    }

    @Test
    void prefersOptimizerStepLagWhenTheLearnerReportsItAndShowsMissingValuesAsDashes() {
        Map<String, Double> partial = new LinkedHashMap<>(Map.of("lag/optimizer_steps", 4.0));
        TrainingMetrics noLoss = step(1, partial);
        noLoss.getMetrics().remove("loss/kl");
        String report = RunReport.format(List.of(noLoss, step(2, Map.of("lag/optimizer_steps", 2.0))), List.of());
        assertThat(report).contains("      1      -0.0125         -      1.0003      0.031      0.812  4.0      1520");
        assertThat(report).contains("   learner totals over 2 steps: mean lag/optimizer_steps 3.00");
        assertThat(report).contains("no evaluation results were read back");
    }

    @Test
    void aStepReportedTwiceCountsOnceAndNothingReadBackIsSaid() {
        TrainingMetrics first = step(1, Map.of("steps/recomputed", 0.0));
        TrainingMetrics again = TrainingMetrics.newBuilder(step(1, Map.of("steps/recomputed", 1.0))).setTimestampMs(99).build();
        assertThat(RunReport.format(List.of(again, first), RESULTS)).contains("learner totals over 1 step: steps/recomputed 1;");
        assertThat(RunReport.format(List.of(), List.of())).contains("no learner metrics were read back")
                .contains("no evaluation results were read back");
    }

    @Test
    void theSamplingLineGivesTheWastedShareOfGroupsDroppedAsStale() {
        List<TrainingMetrics> metrics = List.of(
                step(1, Map.of("train/groups", 16.0, "stale/dropped_groups", 0.0)),
                step(2, Map.of("train/groups", 16.0, "stale/dropped_groups", 8.0)));
        assertThat(RunReport.format(metrics, List.of(), 80)).contains(
                "   sampling: 80 groups sampled, 32 trained on, 8 dropped as stale: wasted share 10.0% (dropped / sampled); 40 neither");
        assertThat(RunReport.format(metrics, List.of())).doesNotContain("sampling:");
        assertThat(RunReport.format(metrics, List.of(), 0)).as("nothing on completions: no division by zero").contains(
                "   sampling: 0 groups sampled, 32 trained on, 8 dropped as stale: wasted share 0.0% (dropped / sampled); 0 neither");
    }
}
