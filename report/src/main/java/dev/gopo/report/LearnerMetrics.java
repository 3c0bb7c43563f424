package dev.gopo.report;

import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** Views over a run's {@code metrics.csv} rows: one metric's curve, and the staleness histogram. */
final class LearnerMetrics {
    /** Prefix of the staleness counters: {@code lag/hist/<k>} = groups trained at this step that were k optimiser steps old. */
    static final String LAG_HISTOGRAM_PREFIX = "lag/hist/";

    private final List<MetricRow> rows;

    LearnerMetrics(List<MetricRow> rows) {
        this.rows = List.copyOf(rows);
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    /** {@code name} per step, {@code NaN}s left out; a step written twice (a restarted learner) keeps its last row. */
    SortedMap<Long, Double> curve(String name) {
        SortedMap<Long, Double> curve = new TreeMap<>();
        for (MetricRow row : rows) {
            if (row.name().equals(name) && !Double.isNaN(row.value())) {
                curve.put(row.step(), row.value());
            }
        }
        return curve;
    }

    /**
     * The staleness histogram of the whole run: for each k, the sum over steps of {@code lag/hist/<k>}.
     * Counters whose k is not a whole number are not staleness counters and are left out.
     */
    SortedMap<Integer, Double> stalenessHistogram() {
        SortedMap<Integer, SortedMap<Long, Double>> perK = new TreeMap<>();
        for (MetricRow row : rows) {
            if (!row.name().startsWith(LAG_HISTOGRAM_PREFIX) || Double.isNaN(row.value())) {
                continue;
            }
            try {
                int k = Integer.parseInt(row.name().substring(LAG_HISTOGRAM_PREFIX.length()));
                perK.computeIfAbsent(k, x -> new TreeMap<>()).put(row.step(), row.value());
            } catch (NumberFormatException e) {
                // lag/hist/overflow or another label: not a bin of this histogram.
            }
        }
        SortedMap<Integer, Double> histogram = new TreeMap<>();
        perK.forEach((k, bySteps) -> histogram.put(k, bySteps.values().stream().mapToDouble(Double::doubleValue).sum()));
        return histogram;
    }
}
