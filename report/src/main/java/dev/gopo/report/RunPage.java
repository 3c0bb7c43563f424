package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The page of one run directory: the evaluator's learning curves per task ({@code eval.csv}), the
 * learner's metrics ({@code metrics.csv}) and the pipeline's counters ({@code pipeline.csv}).
 */
final class RunPage {
    static final String EVAL_CSV = "eval.csv";
    static final String METRICS_CSV = "metrics.csv";
    static final String PIPELINE_CSV = "pipeline.csv";

    /** Learner metrics drawn as curves, with their axis titles, in page order. */
    static final Map<String, String> LEARNER_CURVES = curves();

    private final Path dir;
    private final ImageFiles images;
    private final List<String> notes = new ArrayList<>();
    private final HtmlPage page;

    private RunPage(Path dir, ImageFiles images) {
        this.dir = dir;
        this.images = images;
        this.page = new HtmlPage("Run report: " + dir.toAbsolutePath().normalize().getFileName());
    }

    /** Reads the run directory {@code dir}, writes its charts through {@code images} and returns the page. */
    static HtmlPage build(Path dir, ImageFiles images) throws IOException {
        return new RunPage(dir, images).build();
    }

    private HtmlPage build() throws IOException {
        List<EvalRow> eval = EvalRow.read(dir.resolve(EVAL_CSV), notes);
        Path metricsFile = dir.resolve(METRICS_CSV);
        List<MetricRow> metrics = Files.exists(metricsFile) ? MetricRow.read(metricsFile, notes) : null;
        Path pipelineFile = dir.resolve(PIPELINE_CSV);
        List<PipelineRow> pipeline = Files.exists(pipelineFile) ? PipelineRow.read(pipelineFile, notes) : null;

        page.note("Run directory " + dir.toAbsolutePath().normalize() + ". Steps are learner optimiser steps.");
        runSettings(pipeline);
        evaluation(eval);
        learner(metrics);
        pipeline(pipeline);
        if (!notes.isEmpty()) {
            page.heading(2, "Notes").list(notes);
        }
        return page;
    }

    private void runSettings(List<PipelineRow> pipeline) {
        List<List<String>> rows = section(pipeline, PipelineRow.RUN).entrySet().stream()
                .map(e -> List.of(e.getKey(), e.getValue())).toList();
        if (!rows.isEmpty()) {
            page.heading(2, "Run").table(List.of("setting", "value"), rows);
        }
    }

    private void evaluation(List<EvalRow> eval) throws IOException {
        page.heading(2, "Evaluation per task (" + EVAL_CSV + ")");
        if (eval.isEmpty()) {
            page.note(EVAL_CSV + " has no rows yet.");
            return;
        }
        Map<String, List<EvalRow>> byTask = new TreeMap<>();
        for (EvalRow row : eval) {
            byTask.computeIfAbsent(row.task(), t -> new ArrayList<>()).add(row);
        }
        List<List<String>> finals = new ArrayList<>();
        for (Map.Entry<String, List<EvalRow>> task : byTask.entrySet()) {
            List<EvalRow> rows = new ArrayList<>(task.getValue());
            rows.sort(Comparator.comparingLong(EvalRow::step).thenComparingLong(EvalRow::policyVersion));
            EvalRow last = rows.get(rows.size() - 1);
            finals.add(List.of(task.getKey(), Long.toString(last.policyVersion()), Long.toString(last.step()),
                    Numbers.format(last.validationReward()), Numbers.format(last.referenceReward()),
                    Numbers.format(last.goldQuality()), Numbers.format(last.referenceGoldQuality()),
                    Numbers.interval(last.winRate(), last.winRateCiLow(), last.winRateCiHigh())));
        }
        page.paragraph("The last evaluated policy version of each task:");
        page.table(List.of("task", "version", "step", "validation reward", "reference reward", "hidden gold",
                "reference hidden gold", "judge win rate vs reference [95% CI]"), finals);
        for (Map.Entry<String, List<EvalRow>> task : byTask.entrySet()) {
            taskCurves(task.getKey(), task.getValue());
        }
    }

    private void taskCurves(String task, List<EvalRow> rows) throws IOException {
        page.heading(3, "Task " + task);
        long first = rows.stream().mapToLong(EvalRow::step).min().orElse(0);
        long last = rows.stream().mapToLong(EvalRow::step).max().orElse(0);

        XYChart reward = Charts.curves(task + ": validation reward", "mean reward-model score", Charts.WIDTH, Charts.HEIGHT);
        Charts.line(reward, "policy", byStep(rows, EvalRow::validationReward), Charts.color(0));
        lastValue(rows, EvalRow::referenceReward).ifPresent(ref ->
                Charts.horizontal(reward, "reference policy", ref, first, last, Charts.REFERENCE));
        image(reward, "validation reward of " + task + " per step", "run", task, "validation-reward");

        XYChart gold = Charts.curves(task + ": hidden gold quality", "mean gold quality", Charts.WIDTH, Charts.HEIGHT);
        Charts.line(gold, "policy", byStep(rows, EvalRow::goldQuality), Charts.color(0));
        lastValue(rows, EvalRow::referenceGoldQuality).ifPresent(ref ->
                Charts.horizontal(gold, "reference policy", ref, first, last, Charts.REFERENCE));
        image(gold, "hidden gold quality of " + task + " per step, reference as a dashed line", "run", task, "gold-quality");

        XYChart judge = Charts.curves(task + ": judge win rate vs reference", "win rate", Charts.WIDTH, Charts.HEIGHT);
        SortedMap<Long, Double> winRate = byStep(rows, EvalRow::winRate);
        Charts.band(judge, "95% CI", byStep(rows, EvalRow::winRateCiLow), byStep(rows, EvalRow::winRateCiHigh), Charts.color(0));
        Charts.line(judge, "policy (band: 95% bootstrap CI)", winRate, Charts.color(0));
        Charts.horizontal(judge, "0.5 (no change)", 0.5, first, last, Charts.REFERENCE);
        image(judge, "judge win rate of " + task + " against the reference per step with its 95% interval", "run", task,
                "win-rate");
    }

    private void learner(List<MetricRow> rows) throws IOException {
        page.heading(2, "Learner (" + METRICS_CSV + ")");
        if (rows == null) {
            page.note("No " + METRICS_CSV + " in this run directory: no learner curves.");
            return;
        }
        LearnerMetrics metrics = new LearnerMetrics(rows);
        List<String> absent = new ArrayList<>();
        for (Map.Entry<String, String> metric : LEARNER_CURVES.entrySet()) {
            SortedMap<Long, Double> curve = metrics.curve(metric.getKey());
            if (curve.isEmpty()) {
                absent.add(metric.getKey());
                continue;
            }
            XYChart chart = Charts.curves(metric.getKey(), metric.getValue(), Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT);
            chart.getStyler().setLegendVisible(false);
            Charts.line(chart, metric.getKey(), curve, Charts.color(0));
            image(chart, metric.getKey() + " per step", "learner", metric.getKey());
        }
        if (!absent.isEmpty()) {
            page.note("Not in " + METRICS_CSV + ": " + String.join(", ", absent) + ".");
        }

        page.heading(3, "Staleness");
        SortedMap<Integer, Double> histogram = metrics.stalenessHistogram();
        if (histogram.isEmpty()) {
            page.note("No " + LearnerMetrics.LAG_HISTOGRAM_PREFIX + "<k> counters in " + METRICS_CSV + ".");
            return;
        }
        double groups = histogram.values().stream().mapToDouble(Double::doubleValue).sum();
        double weighted = histogram.entrySet().stream().mapToDouble(e -> e.getKey() * e.getValue()).sum();
        page.paragraph("Groups trained, by how many optimiser steps old their samples were: " + Numbers.format(groups)
                + " groups, mean staleness " + Numbers.format(groups == 0 ? Double.NaN : weighted / groups) + " steps.");
        // Every staleness from 0 to the largest gets a bar, empty ones too, so the x axis reads as a scale.
        List<String> bins = new ArrayList<>();
        List<Double> counts = new ArrayList<>();
        for (int k = Math.min(0, histogram.firstKey()); k <= histogram.lastKey(); k++) {
            bins.add(Integer.toString(k));
            counts.add(histogram.getOrDefault(k, 0.0));
        }
        CategoryChart bars = Charts.bars("staleness histogram", "staleness (optimiser steps)", "groups", bins, counts, Charts.color(0));
        image(bars, "staleness histogram: groups per staleness in optimiser steps", "learner", "staleness-histogram");
    }

    private void pipeline(List<PipelineRow> rows) throws IOException {
        page.heading(2, "Pipeline (" + PIPELINE_CSV + ")");
        if (rows == null) {
            page.note("No " + PIPELINE_CSV + " in this run directory: no generator, ranker or dead-letter figures.");
            return;
        }
        page.heading(3, "Generator throughput");
        Map<String, String> generators = section(rows, PipelineRow.GENERATOR_TOKENS_PER_S);
        if (generators.isEmpty()) {
            page.note("No generator figures.");
        } else {
            CategoryChart bars = Charts.bars("generator throughput", "generator", "tokens/s", List.copyOf(generators.keySet()),
                    generators.values().stream().map(Double::parseDouble).toList(), Charts.color(3));
            image(bars, "tokens per second of each generator", "pipeline", "generator-tokens-per-s");
            page.table(List.of("generator", "tokens/s"), generators.entrySet().stream()
                    .map(e -> List.of(e.getKey(), Numbers.format(Double.parseDouble(e.getValue())))).toList());
        }

        page.heading(3, "Ranker latency (ms)");
        Map<String, String> latency = section(rows, PipelineRow.RANKER_LATENCY_MS);
        if (latency.isEmpty()) {
            page.note("No ranker figures.");
        } else {
            page.table(List.of("statistic", "value"), latency.entrySet().stream()
                    .map(e -> List.of(e.getKey(), Numbers.format(Double.parseDouble(e.getValue())))).toList());
        }

        page.heading(3, "Dead letters by reason");
        Map<String, String> deadLetters = section(rows, PipelineRow.DEAD_LETTERS);
        if (deadLetters.isEmpty()) {
            page.paragraph("none");
        } else {
            page.table(List.of("reason", "records"), deadLetters.entrySet().stream()
                    .map(e -> List.of(e.getKey(), Numbers.format(Double.parseDouble(e.getValue())))).toList());
        }
    }

    private void image(Chart<?, ?> chart, String alt, String... labels) throws IOException {
        page.image(images.save(chart, labels), alt);
    }

    /** The key/values of one pipeline.csv section in file order (a repeated key keeps its last value). */
    private static Map<String, String> section(List<PipelineRow> rows, String section) {
        Map<String, String> values = new LinkedHashMap<>();
        if (rows != null) {
            rows.stream().filter(r -> r.section().equals(section)).forEach(r -> values.put(r.key(), r.value()));
        }
        return values;
    }

    /** {@code measure} per step ({@code NaN}s left out; the later version wins a shared step). */
    private static SortedMap<Long, Double> byStep(List<EvalRow> rows, ToDoubleFunction<EvalRow> measure) {
        SortedMap<Long, Double> points = new TreeMap<>();
        rows.stream().sorted(Comparator.comparingLong(EvalRow::policyVersion)).forEach(r -> {
            double v = measure.applyAsDouble(r);
            if (!Double.isNaN(v)) {
                points.put(r.step(), v);
            }
        });
        return points;
    }

    /** The reference's value as written on the latest row that has it (the reference does not change during a run). */
    private static OptionalDouble lastValue(List<EvalRow> rows, ToDoubleFunction<EvalRow> measure) {
        OptionalDouble value = OptionalDouble.empty();
        for (EvalRow row : rows.stream().sorted(Comparator.comparingLong(EvalRow::policyVersion)).toList()) {
            double v = measure.applyAsDouble(row);
            if (!Double.isNaN(v)) {
                value = OptionalDouble.of(v);
            }
        }
        return value;
    }

    private static Map<String, String> curves() {
        Map<String, String> curves = new LinkedHashMap<>();
        curves.put("loss/policy", "policy loss");
        curves.put("loss/kl", "KL to the reference");
        curves.put("ratio/clip_fraction", "fraction of tokens clipped");
        curves.put("grad/norm", "gradient norm");
        curves.put("throughput/tokens_per_s", "tokens/s");
        curves.put("reward/mean", "mean reward of trained groups");
        curves.put("lag/optimizer_steps", "mean staleness (steps)");
        return Collections.unmodifiableMap(curves);
    }
}
