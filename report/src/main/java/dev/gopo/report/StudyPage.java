package dev.gopo.report;

import java.awt.Color;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;

/**
 * The page of one study directory: per mode, transform and task the seed-mean curves of every
 * estimator with their 95% t-bands and the steps-to-reach table ({@code study.csv}); the invariance
 * of each estimator to the reward transform; the head-to-head table ({@code head-to-head.csv}); the
 * settings ({@code study.properties}).
 */
final class StudyPage {
    static final String STUDY_CSV = "study.csv";
    static final String HEAD_TO_HEAD_CSV = "head-to-head.csv";
    static final String SETTINGS = "study.properties";

    /** The measures drawn per cell: title, axis title and how to read it from a row. */
    private record Measure(String title, String axis, ToDoubleFunction<EvalRow> value) {
    }

    /** A written chart and its alt text. */
    private record Figure(String file, String alt) {
    }

    private static final List<Measure> MEASURES = List.of(
            new Measure("validation reward", "mean reward-model score", EvalRow::validationReward),
            new Measure("hidden gold quality", "mean gold quality", EvalRow::goldQuality),
            new Measure("judge win rate vs reference", "win rate", EvalRow::winRate));

    private final Path dir;
    private final ImageFiles images;
    private final List<String> notes = new ArrayList<>();
    private final HtmlPage page;
    private StudyIndex index;

    private StudyPage(Path dir, ImageFiles images) {
        this.dir = dir;
        this.images = images;
        this.page = new HtmlPage("Study report: " + dir.toAbsolutePath().normalize().getFileName());
    }

    /** Reads the study directory {@code dir}, writes its charts through {@code images} and returns the page. */
    static HtmlPage build(Path dir, ImageFiles images) throws IOException {
        return new StudyPage(dir, images).build();
    }

    private HtmlPage build() throws IOException {
        List<StudyRow> rows = StudyRow.read(dir.resolve(STUDY_CSV), notes);
        Path headToHeadFile = dir.resolve(HEAD_TO_HEAD_CSV);
        List<HeadToHeadRow> headToHead = Files.exists(headToHeadFile) ? HeadToHeadRow.read(headToHeadFile, notes) : null;
        index = new StudyIndex(rows);

        page.note("Study directory " + dir.toAbsolutePath().normalize() + ": " + rows.size() + " evaluations; estimators "
                + String.join(", ", index.estimators()) + "; seeds " + index.seeds() + ". Curves are means over seeds with"
                + " a 95% t-interval band over seeds (mean ± t(0.975, n−1)·s/√n); steps are learner optimiser steps.");
        settings();
        if (rows.isEmpty()) {
            page.note(STUDY_CSV + " has no rows yet.");
        }
        for (String mode : index.modes()) {
            page.heading(2, "Mode " + mode);
            for (String transform : index.transforms(mode)) {
                for (String task : index.tasks(mode)) {
                    List<StudyRow> slice = index.slice(mode, transform, task);
                    if (!slice.isEmpty()) {
                        cell(mode, transform, task, slice);
                    }
                }
            }
        }
        invariance();
        headToHead(headToHead);
        if (!notes.isEmpty()) {
            page.heading(2, "Notes").list(notes);
        }
        return page;
    }

    private void settings() throws IOException {
        page.heading(2, "Settings (" + SETTINGS + ")");
        Path file = dir.resolve(SETTINGS);
        if (!Files.exists(file)) {
            page.note("No " + SETTINGS + " in this study directory.");
            return;
        }
        Properties settings = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            settings.load(reader);
        }
        page.table(List.of("setting", "value"), new TreeSet<>(settings.stringPropertyNames()).stream()
                .map(key -> List.of(key, settings.getProperty(key))).toList());
    }

    private void cell(String mode, String transform, String task, List<StudyRow> slice) throws IOException {
        page.heading(3, mode + " · transform " + transform + " · task " + task);
        List<SeedCurve> reward = SeedCurve.of(slice, EvalRow::validationReward);
        page.note(seedsNote(reward));
        long first = slice.stream().mapToLong(r -> r.eval().step()).min().orElse(0);
        long last = slice.stream().mapToLong(r -> r.eval().step()).max().orElse(0);
        Map<String, List<SeedCurve>> byMeasure = new LinkedHashMap<>();
        for (Measure measure : MEASURES) {
            List<SeedCurve> curves = SeedCurve.of(slice, measure.value());
            byMeasure.put(measure.title(), curves);
            if (curves.stream().allMatch(c -> c.points().isEmpty())) {
                page.note("No " + measure.title() + " values in this cell.");
                continue;
            }
            XYChart chart = Charts.curves(task + ": " + measure.title() + " (" + mode + ", " + transform + ")", measure.axis(),
                    Charts.WIDTH, Charts.HEIGHT);
            for (SeedCurve curve : curves) {
                draw(chart, curve);
            }
            if (measure.title().startsWith("hidden gold")) {
                referenceGold(slice).ifPresent(ref -> Charts.horizontal(chart, "reference policy", ref, first, last, Charts.REFERENCE));
            } else if (measure.title().startsWith("judge")) {
                Charts.horizontal(chart, "0.5 (no change)", 0.5, first, last, Charts.REFERENCE);
            }
            page.image(images.save(chart, "study", mode, transform, task, measure.title()),
                    measure.title() + " per step for " + task + " (" + mode + ", transform " + transform
                            + "), mean over seeds per estimator with 95% t-bands");
        }
        finalsTable(byMeasure);
        stepsToReach(reward);
    }

    private void draw(XYChart chart, SeedCurve curve) {
        Color color = estimatorColor(curve.estimator());
        SortedMap<Long, Double> low = new TreeMap<>();
        SortedMap<Long, Double> high = new TreeMap<>();
        curve.points().forEach((step, interval) -> {
            if (interval.hasBand()) {
                low.put(step, interval.low());
                high.put(step, interval.high());
            }
        });
        Charts.band(chart, curve.estimator() + " 95% band", low, high, color);
        Charts.line(chart, curve.estimator(), curve.means(), color);
    }

    /** The same colour for an estimator on every chart of every study: by its place in the known order, unknown ones after. */
    private Color estimatorColor(String estimator) {
        List<String> known = StudyIndex.ESTIMATOR_ORDER;
        if (known.contains(estimator)) {
            return Charts.color(known.indexOf(estimator));
        }
        return Charts.color(known.size() + index.estimators().stream().filter(e -> !known.contains(e)).toList().indexOf(estimator));
    }

    private static String seedsNote(List<SeedCurve> curves) {
        List<String> parts = new ArrayList<>();
        boolean single = false;
        for (SeedCurve curve : curves) {
            int min = curve.minSeeds();
            int max = curve.maxSeeds();
            String seeds = min == max ? Integer.toString(max) : min + "–" + max;
            parts.add(curve.estimator() + " " + seeds + (max == 1 ? " seed" : " seeds"));
            single |= min == 1;
        }
        String note = "Seeds per estimator: " + String.join(", ", parts) + ".";
        return single ? note + " Where a point rests on 1 seed there is no interval, so no band is drawn there." : note;
    }

    private void finalsTable(Map<String, List<SeedCurve>> byMeasure) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String estimator : index.estimators()) {
            List<String> row = new ArrayList<>(List.of(estimator));
            boolean any = false;
            for (List<SeedCurve> curves : byMeasure.values()) {
                Optional<SeedCurve> curve = curves.stream().filter(c -> c.estimator().equals(estimator) && !c.points().isEmpty()).findFirst();
                if (curve.isPresent()) {
                    any = true;
                    SortedMap<Long, SeedInterval> points = curve.get().points();
                    SeedInterval last = points.get(points.lastKey());
                    row.add(interval(last) + " at step " + points.lastKey());
                } else {
                    row.add(Numbers.MISSING);
                }
            }
            if (any) {
                rows.put(estimator, row);
            }
        }
        List<String> header = new ArrayList<>(List.of("estimator"));
        byMeasure.keySet().forEach(title -> header.add("final " + title + ", mean [95% CI] (seeds)"));
        page.table(header, List.copyOf(rows.values()));
    }

    private static String interval(SeedInterval interval) {
        String seeds = " (" + interval.seeds() + (interval.seeds() == 1 ? " seed)" : " seeds)");
        return interval.hasBand() ? Numbers.interval(interval.mean(), interval.low(), interval.high()) + seeds
                : Numbers.format(interval.mean()) + seeds;
    }

    private void stepsToReach(List<SeedCurve> reward) {
        Map<String, SortedMap<Long, Double>> means = new LinkedHashMap<>();
        reward.stream().filter(c -> !c.points().isEmpty()).forEach(c -> means.put(c.estimator(), c.means()));
        if (means.size() < 2) {
            return;
        }
        List<StepsToReach.Entry> entries = StepsToReach.compute(means);
        page.paragraph("Steps to reach: the first step at which the row's seed-mean validation reward reaches the column's"
                + " final seed-mean validation reward.");
        List<String> header = new ArrayList<>(List.of("estimator"));
        for (String y : means.keySet()) {
            SortedMap<Long, Double> curve = means.get(y);
            header.add("reaches " + y + "'s final " + Numbers.format(curve.get(curve.lastKey())));
        }
        List<List<String>> rows = new ArrayList<>();
        for (String x : means.keySet()) {
            List<String> row = new ArrayList<>(List.of(x));
            for (String y : means.keySet()) {
                row.add(x.equals(y) ? "—" : entries.stream().filter(e -> e.estimator().equals(x) && e.target().equals(y))
                        .findFirst().map(e -> e.step().isPresent() ? "step " + e.step().getAsLong() : "not reached")
                        .orElse("—"));
            }
            rows.add(row);
        }
        page.table(header, rows);
    }

    private void invariance() throws IOException {
        page.heading(2, "Invariance to the reward transform");
        page.note("For each estimator, its seed-mean validation reward with the identity transform (dashed) and with each"
                + " other transform (solid), and the largest absolute difference between the two over the steps both have."
                + " GOPO's advantages use only the ranks of the rewards, which a strictly increasing transform keeps, so in"
                + " replay mode (the same samples) its difference should be 0. Online, each run samples its own rollouts, so"
                + " the two can only be statistically indistinguishable: the final difference, paired by seed, should have an"
                + " interval that covers 0.");
        boolean any = false;
        for (String mode : index.modes()) {
            List<String> transforms = index.transforms(mode);
            if (!transforms.contains(StudyRow.IDENTITY) || transforms.size() < 2) {
                continue;
            }
            for (String task : index.tasks(mode)) {
                any |= invariance(mode, task, transforms.subList(1, transforms.size()));
            }
        }
        if (!any) {
            page.note("This study has no cell run with both the identity and another transform.");
        }
    }

    /** The invariance table and overlays of one mode and task; false when no estimator ran both transforms there. */
    private boolean invariance(String mode, String task, List<String> transforms) throws IOException {
        List<SeedCurve> identity = SeedCurve.of(index.slice(mode, StudyRow.IDENTITY, task), EvalRow::validationReward);
        List<List<String>> rows = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        for (String transform : transforms) {
            List<SeedCurve> other = SeedCurve.of(index.slice(mode, transform, task), EvalRow::validationReward);
            for (SeedCurve base : identity) {
                Optional<SeedCurve> moved = other.stream().filter(c -> c.estimator().equals(base.estimator())).findFirst();
                if (moved.isEmpty() || base.points().isEmpty() || moved.get().points().isEmpty()) {
                    continue;
                }
                Invariance difference = Invariance.of(base.means(), moved.get().means());
                String paired = Invariance.pairedFinalDifference(
                        estimatorRows(index.slice(mode, StudyRow.IDENTITY, task), base.estimator()),
                        estimatorRows(index.slice(mode, transform, task), base.estimator()))
                        .map(d -> Numbers.format(d.mean()) + (d.hasBand() ? " [" + Numbers.format(d.low()) + ", " + Numbers.format(d.high())
                                + "]" : "") + " (" + d.seeds() + (d.seeds() == 1 ? " seed)" : " seeds)"))
                        .orElse("—");
                rows.add(List.of(base.estimator(), transform, Integer.toString(difference.steps()),
                        Numbers.format(difference.max()), paired, remark(mode, base.estimator(), difference)));
                XYChart chart = Charts.curves(task + ", " + mode + ": " + base.estimator() + ", identity vs " + transform,
                        "validation reward", Charts.SMALL_WIDTH, Charts.SMALL_HEIGHT);
                Color color = estimatorColor(base.estimator());
                Charts.dashedLine(chart, "identity", base.means(), color);
                Charts.line(chart, transform, moved.get().means(), color);
                figures.add(new Figure(images.save(chart, "invariance", mode, task, base.estimator(), transform),
                        base.estimator() + " validation reward per step with the identity and the " + transform
                                + " transform (" + mode + ", " + task + ")"));
            }
        }
        if (rows.isEmpty()) {
            return false;
        }
        page.heading(3, mode + " · task " + task);
        page.table(List.of("estimator", "transform", "steps compared", "max |Δ validation reward| of the seed means",
                "final Δ (transform − identity), paired by seed, mean [95% CI]", "remark"), rows);
        for (Figure figure : figures) {
            page.image(figure.file(), figure.alt());
        }
        return true;
    }

    private static List<StudyRow> estimatorRows(List<StudyRow> rows, String estimator) {
        return rows.stream().filter(r -> r.estimator().equals(estimator)).toList();
    }

    private static String remark(String mode, String estimator, Invariance difference) {
        if (!"replay".equals(mode) || !"GOPO".equals(estimator) || difference.steps() == 0) {
            return "";
        }
        return difference.max() == 0 ? "exactly 0, as expected" : "expected 0: check that both cells replayed the same samples";
    }

    private void headToHead(List<HeadToHeadRow> rows) {
        page.heading(2, "Head-to-head (" + HEAD_TO_HEAD_CSV + ")");
        if (rows == null) {
            page.note("No " + HEAD_TO_HEAD_CSV + " in this study directory.");
            return;
        }
        if (rows.isEmpty()) {
            page.note(HEAD_TO_HEAD_CSV + " has no rows.");
            return;
        }
        page.note("The final policy of each estimator judged against the final policy of the opponent on the same prompts;"
                + " a win rate above 0.5 favours the estimator.");
        List<String> estimators = StudyIndex.sortEstimators(rows.stream().map(HeadToHeadRow::estimator).toList());
        List<HeadToHeadRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparing(HeadToHeadRow::mode).thenComparing(HeadToHeadRow::transform)
                .thenComparing(HeadToHeadRow::task).thenComparingInt(r -> estimators.indexOf(r.estimator())));
        page.table(List.of("mode", "transform", "task", "estimator", "opponent", "wins", "ties", "losses",
                "win rate [95% CI]", "prompts", "seeds"), sorted.stream().map(r -> List.of(r.mode(), r.transform(), r.task(),
                r.estimator(), r.opponent(), Long.toString(r.wins()), Long.toString(r.ties()), Long.toString(r.losses()),
                Numbers.interval(r.winRate(), r.ciLow(), r.ciHigh()), Long.toString(r.prompts()), Long.toString(r.seeds()))).toList());
    }

    /** The reference policy's hidden gold quality on the latest row that has it (it is the same reference in every cell). */
    private static OptionalDouble referenceGold(List<StudyRow> slice) {
        return slice.stream().sorted(Comparator.comparingLong((StudyRow r) -> r.eval().policyVersion()).reversed())
                .mapToDouble(r -> r.eval().referenceGoldQuality()).filter(v -> !Double.isNaN(v)).findFirst();
    }
}
