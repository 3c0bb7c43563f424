package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.learner.LearnerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.PrepareSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The main job end to end on its own embedded broker and registry, with tiny models and few steps. */
class PipelineRunIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES)
    void trainsEvaluatesEveryVersionAndReports() throws Exception {
        PrepareSettings prepare = PrepareSettings.defaults().withModelSize(ModelSize.TINY).withSteps(60, 60).withSeed(3);
        PipelineRun.Settings settings = new PipelineRun.Settings(tmp.resolve("run"), tmp.resolve("cache"), prepare,
                new OnlineTraining.Settings(4, 3, 4, 2, 1, List.of(Estimator.GOPO, Estimator.GRPO), 1e-4, 0.04, 8,
                        LearnerConfig.NO_VERSION_BOUND, 6, 2, 1, 3, RewardTransform.parse("identity")));
        StringWriter text = new StringWriter();
        int code = new PipelineRun(settings, new PrintWriter(text, true)).run();
        String report = text.toString();

        assertThat(code).as(report).isZero();
        assertThat(report).contains("== 4/4 results");
        // One metrics row per learner step, finite numbers.
        List<String> stepRows = report.lines().filter(l -> l.matches("\\s+\\d+\\s+-?\\d+\\.\\d+\\s+.*")).toList();
        assertThat(stepRows).as(report).hasSize(4);
        // Versions 0 (reference), 1 (step 2), 2 (step 4) evaluated for both tasks.
        for (String task : List.of("summarise", "constrained")) {
            for (int version = 0; version <= 2; version++) {
                // version, step, validation reward, hidden gold quality, judge win rate [95% CI]
                assertThat(report).as(report).containsPattern("\\s" + task + "\\s+" + version + "\\s+" + (2 * version)
                        + "\\s+-?\\d+\\.\\d{4}\\s+[01]\\.\\d{4}\\s+[01]\\.\\d{3} \\[");
            }
            // One verdict line per task, decided by the last version.
            assertThat(report.lines().filter(l -> l.startsWith("   " + task + ": ") && l.contains(": judge ") && l.contains(" at step 4")))
                    .as(report).hasSize(1);
        }
        assertThat(report).as(report).containsPattern("learner totals over 4 steps: .*steps/recomputed \\d+.*stale/dropped_groups \\d+");
        // The step budget (bound 8: at most 9 steps of groups ahead) lets no group go stale.
        assertThat(report).as(report).containsPattern("sampling: \\d+ groups sampled, 12 trained on, 0 dropped as stale: wasted share 0\\.0%");
        List<String> csv = Files.readAllLines(tmp.resolve("run/eval.csv"));
        assertThat(csv).hasSize(1 + 6);
        assertThat(csv.get(0)).contains(",gold_quality,reference_gold_quality,");
        // The saved results gopo report draws from: one metrics row per (step, name), the pipeline's own figures.
        List<String> metricsCsv = Files.readAllLines(tmp.resolve("run/metrics.csv"));
        assertThat(metricsCsv.get(0)).isEqualTo("step,policy_version,timestamp_ms,name,value");
        assertThat(metricsCsv).anyMatch(l -> l.startsWith("4,") && l.contains(",loss/policy,"));
        List<String> pipelineCsv = Files.readAllLines(tmp.resolve("run/pipeline.csv"));
        assertThat(pipelineCsv).contains("run,estimator,GOPO").anyMatch(l -> l.startsWith("generator_tokens_per_s,generator-0,"))
                .anyMatch(l -> l.startsWith("ranker_latency_ms,p99,"));
        assertThat(report).contains("report: ");
        assertThat(tmp.resolve("run/report/index.html")).isNotEmptyFile();
    }
}
