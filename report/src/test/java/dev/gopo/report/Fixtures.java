package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small synthetic run and study directories, in the formats the evaluator, learner and study runner write. */
final class Fixtures {
    static final String EVAL_HEADER = String.join(",", EvalRow.COLUMNS);
    static final String STUDY_HEADER = "mode,estimator,transform,seed," + EVAL_HEADER;

    private Fixtures() {
    }

    /** One eval.csv line: 4 prompts × 2 samples, reference reward 0.25 and reference gold 0.375. */
    static String evalLine(String task, long version, long step, double reward, double gold, double winRate, double low, double high) {
        return evalLine(task, "GOPO", version, step, reward, gold, winRate, low, high);
    }

    static String evalLine(String task, String estimator, long version, long step, double reward, double gold, double winRate,
            double low, double high) {
        return String.join(",", task, Long.toString(version), Long.toString(step), estimator, "4", "2", num(reward), "0.25",
                num(gold), "0.375", num(winRate), num(low), num(high), "5", "1", "2", "40.5", "abc", "1700000000000");
    }

    /** A run directory with eval.csv for two tasks, metrics.csv and pipeline.csv. */
    static Path runDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("eval.csv"), String.join("\n", EVAL_HEADER,
                evalLine("summarise", 0, 0, 0.25, 0.375, 0.5, 0.5, 0.5),
                evalLine("summarise", 1, 10, 0.5, 0.4, 0.5625, 0.4375, 0.6875),
                evalLine("summarise", 2, 20, 0.8125, 0.45, 0.6875, 0.5625, 0.8125),
                evalLine("constrained", 0, 0, -1.5, 0.3, 0.5, 0.5, 0.5),
                evalLine("constrained", 2, 20, -1.25, 0.35, 0.59375, 0.46875, 0.71875)) + "\n");
        List<String> metrics = new ArrayList<>(List.of("step,policy_version,timestamp_ms,name,value"));
        for (int step = 1; step <= 3; step++) {
            metrics.add(step + ",0," + (1000 * step) + ",loss/policy," + num(-0.01 * step));
            metrics.add(step + ",0," + (1000 * step) + ",loss/kl," + num(0.0004 * step));
            metrics.add(step + ",0," + (1000 * step) + ",ratio/clip_fraction," + num(0.01 * step));
            metrics.add(step + ",0," + (1000 * step) + ",grad/norm,0.5");
            metrics.add(step + ",0," + (1000 * step) + ",throughput/tokens_per_s," + (2600 + step));
            metrics.add(step + ",0," + (1000 * step) + ",lag/hist/0,2");
            metrics.add(step + ",0," + (1000 * step) + ",lag/hist/" + step + ",3");
        }
        Files.writeString(dir.resolve("metrics.csv"), String.join("\n", metrics) + "\n");
        Files.writeString(dir.resolve("pipeline.csv"), String.join("\n", "section,key,value",
                "generator_tokens_per_s,generator-0,1234.5", "generator_tokens_per_s,generator-1,1100",
                "ranker_latency_ms,p50,12", "ranker_latency_ms,p90,31", "ranker_latency_ms,p99,87", "ranker_latency_ms,max,140",
                "ranker_latency_ms,groups,960", "run,steps,3", "run,estimator,GOPO", "run,seed,42") + "\n");
        return dir;
    }

    /**
     * A study directory: online and replay, identity and power:3, one task, GOPO with seeds 1 to 3 and
     * GRPO with seed 1 only, steps 0, 10, 20. GOPO's curves do not depend on the transform; GRPO's
     * power:3 curve is 0.125 lower at every step but the first.
     */
    static Path studyDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = new ArrayList<>(List.of(STUDY_HEADER));
        for (String mode : List.of("online", "replay")) {
            for (String transform : List.of("identity", "power:3")) {
                for (int seed = 1; seed <= 3; seed++) {
                    for (int v = 0; v <= 2; v++) {
                        // GOPO: reward 0.25 v + (seed − 2) · 0.125 → seed means 0, 0.25, 0.5
                        double reward = 0.25 * v + (seed - 2) * 0.125;
                        lines.add(String.join(",", mode, "GOPO", transform, Integer.toString(seed),
                                evalLine("summarise", "GOPO", v, 10L * v, reward, 0.4 + 0.05 * v, 0.5 + 0.0625 * v, 0.4, 0.7)));
                    }
                }
                for (int v = 0; v <= 2; v++) {
                    // GRPO, one seed: 0, 0.125, 0.375 with identity; power:3 lowers the last two by 0.125
                    double reward = v == 0 ? 0 : v == 1 ? 0.125 : 0.375;
                    if (transform.equals("power:3") && v > 0) {
                        reward -= 0.125;
                    }
                    lines.add(String.join(",", mode, "GRPO", transform, "1",
                            evalLine("summarise", "GRPO", v, 10L * v, reward, 0.4, 0.5, 0.4, 0.6)));
                }
            }
        }
        Files.writeString(dir.resolve("study.csv"), String.join("\n", lines) + "\n");
        Files.writeString(dir.resolve("head-to-head.csv"), String.join("\n",
                "mode,transform,task,estimator,opponent,wins,ties,losses,win_rate,ci_low,ci_high,prompts,seeds",
                "online,identity,summarise,GRPO,GOPO,40,8,80,0.34375,0.25,0.4375,128,3") + "\n");
        Files.writeString(dir.resolve("study.properties"), "steps=20\nlearning_rate=3e-4\nnote=<b>bold</b> & co\n");
        return dir;
    }

    static String num(double x) {
        return String.format(Locale.ROOT, "%s", x);
    }
}
