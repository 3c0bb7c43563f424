package dev.gopo.launcher;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.Estimator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * What a finished run leaves on disk besides {@code eval.csv}, read back from its topics so that
 * {@code gopo report} can draw it later without a broker:
 *
 * <ul>
 *   <li>{@code metrics.csv} ({@code step,policy_version,timestamp_ms,name,value}): the learner's metrics,
 *       one row per step and name; a step reported twice (a restarted learner) keeps its later report;</li>
 *   <li>{@code pipeline.csv} ({@code section,key,value}): the pipeline's own behaviour: tokens/s of each
 *       generator (completion tokens over the span of its sampling timestamps), the ranker's emission latency
 *       percentiles ({@code emittedAtMs - lastCompletionAtMs} of every group on the trained estimator's
 *       advantages topic), dead letters by reason, and the run's identity ({@code run} section).</li>
 * </ul>
 */
public record RunResults(List<TrainingMetrics> metrics, List<EvaluationResult> evaluations, long groupsSampled,
                         Map<String, Double> generatorTokensPerS) {
    public static final String METRICS_CSV = "metrics.csv";
    public static final String PIPELINE_CSV = "pipeline.csv";
    private static final CSVFormat CSV = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();

    /**
     * Reads the run's topics and writes {@link #METRICS_CSV} and {@link #PIPELINE_CSV} into {@code dir}.
     *
     * @param trained the estimator the learner trained on (whose advantages topic gives the ranker latency)
     * @param run     identity of the run for the {@code run} section (steps, seed, estimator, transform, wall time ...)
     */
    public static RunResults write(ClusterConfig cluster, Estimator trained, Map<String, String> run, Path dir) throws IOException {
        var topics = cluster.topics();
        List<TrainingMetrics> metrics = latestPerStep(TopicSnapshot.readAll(cluster, topics.metrics()));
        List<EvaluationResult> evaluations = TopicSnapshot.readAll(cluster, topics.evalResults());
        Map<String, long[]> generators = new TreeMap<>();
        java.util.Set<String> groupIds = new java.util.HashSet<>();
        TopicSnapshot.forEach(cluster, topics.completions(), (Completion c) -> {
            groupIds.add(c.getGroupId());
            long[] g = generators.computeIfAbsent(c.getGeneratorId(), k -> new long[] {0, Long.MAX_VALUE, Long.MIN_VALUE});
            g[0] += c.getTokenIds().size();
            g[1] = Math.min(g[1], c.getSampledAtMs());
            g[2] = Math.max(g[2], c.getSampledAtMs());
        });
        List<Long> latencies = new ArrayList<>();
        TopicSnapshot.forEach(cluster, topics.advantages(trained.topicSuffix()),
                (AdvantageGroup a) -> latencies.add(a.getEmittedAtMs() - a.getLastCompletionAtMs()));
        Map<String, Integer> deadLetters = new TreeMap<>();
        TopicSnapshot.forEach(cluster, topics.deadLetters(), (DeadLetter d) -> deadLetters.merge(d.getReason(), 1, Integer::sum));

        Map<String, Double> tokensPerS = new TreeMap<>();
        Files.createDirectories(dir);
        try (Writer w = Files.newBufferedWriter(dir.resolve(METRICS_CSV), StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSV)) {
            csv.printRecord("step", "policy_version", "timestamp_ms", "name", "value");
            for (TrainingMetrics m : metrics) {
                for (var e : new TreeMap<>(m.getMetrics()).entrySet()) {
                    csv.printRecord(m.getStep(), m.getPolicyVersion(), m.getTimestampMs(), e.getKey(), e.getValue());
                }
            }
        }
        try (Writer w = Files.newBufferedWriter(dir.resolve(PIPELINE_CSV), StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSV)) {
            csv.printRecord("section", "key", "value");
            for (var e : new TreeMap<>(run).entrySet()) {
                csv.printRecord("run", e.getKey(), e.getValue());
            }
            for (var e : generators.entrySet()) {
                long[] g = e.getValue();
                double seconds = Math.max(1, g[2] - g[1]) / 1000.0;
                tokensPerS.put(e.getKey(), g[0] / seconds);
                csv.printRecord("generator_tokens_per_s", e.getKey(), g[0] / seconds);
            }
            csv.printRecord("sampling", "groups_sampled", groupIds.size());
            for (var e : latencyPercentiles(latencies).entrySet()) {
                csv.printRecord("ranker_latency_ms", e.getKey(), e.getValue());
            }
            for (var e : deadLetters.entrySet()) {
                csv.printRecord("dead_letters", e.getKey(), e.getValue());
            }
        }
        return new RunResults(metrics, evaluations, groupIds.size(), tokensPerS);
    }

    /** Nearest-rank percentiles p50, p90, p99, the maximum and the count; empty without groups. */
    static Map<String, Double> latencyPercentiles(Collection<Long> latencies) {
        Map<String, Double> out = new LinkedHashMap<>();
        if (latencies.isEmpty()) {
            return out;
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        for (int p : new int[] {50, 90, 99}) {
            int rank = (int) Math.ceil(p / 100.0 * sorted.length);
            out.put("p" + p, (double) sorted[Math.max(0, rank - 1)]);
        }
        out.put("max", (double) sorted[sorted.length - 1]);
        out.put("groups", (double) sorted.length);
        return out;
    }

    /** Metrics ordered by step; a step reported twice (a restarted learner) counts once, the later report. */
    static List<TrainingMetrics> latestPerStep(Collection<TrainingMetrics> metrics) {
        Map<Long, TrainingMetrics> byStep = new TreeMap<>();
        for (TrainingMetrics m : metrics) {
            byStep.merge(m.getStep(), m, (a, b) -> b.getTimestampMs() >= a.getTimestampMs() ? b : a);
        }
        return List.copyOf(byStep.values());
    }
}
