package dev.gopo.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One estimator's learning curve in a study cell: per step, the mean of a measure over the seeds
 * evaluated at that step and its {@link SeedInterval 95% t-interval}.
 */
record SeedCurve(String estimator, SortedMap<Long, SeedInterval> points) {

    /**
     * The curve of every estimator in {@code rows} (rows of one mode, transform and task), in
     * {@link StudyIndex#ESTIMATOR_ORDER}. A seed with two rows at one step counts once, with the
     * later policy version; empty ({@code NaN}) measures are left out, and a step no seed has a value
     * for is not on the curve.
     */
    static List<SeedCurve> of(List<StudyRow> rows, ToDoubleFunction<EvalRow> measure) {
        Map<String, TreeMap<Long, Map<Long, Double>>> byEstimator = new LinkedHashMap<>();
        List<StudyRow> ordered = new ArrayList<>(rows);
        ordered.sort(Comparator.comparingLong(r -> r.eval().policyVersion()));
        for (StudyRow row : ordered) {
            double value = measure.applyAsDouble(row.eval());
            if (Double.isNaN(value)) {
                continue;
            }
            byEstimator.computeIfAbsent(row.estimator(), e -> new TreeMap<>())
                    .computeIfAbsent(row.eval().step(), s -> new LinkedHashMap<>())
                    .put(row.seed(), value);
        }
        List<SeedCurve> curves = new ArrayList<>();
        for (String estimator : StudyIndex.sortEstimators(byEstimator.keySet())) {
            SortedMap<Long, SeedInterval> points = new TreeMap<>();
            byEstimator.get(estimator).forEach((step, bySeed) ->
                    points.put(step, SeedInterval.of(bySeed.values().stream().mapToDouble(Double::doubleValue).toArray())));
            curves.add(new SeedCurve(estimator, points));
        }
        return curves;
    }

    /** The seed mean per step. */
    SortedMap<Long, Double> means() {
        SortedMap<Long, Double> means = new TreeMap<>();
        points.forEach((step, interval) -> means.put(step, interval.mean()));
        return means;
    }

    /** The fewest seeds behind any point (1 means at least one point has no band). */
    int minSeeds() {
        return points.values().stream().mapToInt(SeedInterval::seeds).min().orElse(0);
    }

    /** The most seeds behind any point. */
    int maxSeeds() {
        return points.values().stream().mapToInt(SeedInterval::seeds).max().orElse(0);
    }
}
