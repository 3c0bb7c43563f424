package dev.gopo.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;

/**
 * Sample efficiency in one study cell: the first step at which estimator X's seed-mean validation
 * reward reaches (is at least) estimator Y's <em>final</em> seed-mean validation reward, the mean at
 * Y's last evaluated step. "Not reached" when no step of X gets there.
 */
final class StepsToReach {
    private StepsToReach() {
    }

    /**
     * @param estimator X
     * @param target    Y
     * @param targetValue Y's final seed mean
     * @param step      X's first step with a mean {@code >= targetValue}; empty when never
     */
    record Entry(String estimator, String target, double targetValue, OptionalLong step) {
    }

    /**
     * One entry per ordered pair (X, Y), X ≠ Y, in the map's order; an estimator without any point is
     * neither an X nor a Y.
     *
     * @param means per estimator, the seed mean per step
     */
    static List<Entry> compute(Map<String, SortedMap<Long, Double>> means) {
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, SortedMap<Long, Double>> x : means.entrySet()) {
            if (x.getValue().isEmpty()) {
                continue;
            }
            for (Map.Entry<String, SortedMap<Long, Double>> y : means.entrySet()) {
                if (x.getKey().equals(y.getKey()) || y.getValue().isEmpty()) {
                    continue;
                }
                double target = y.getValue().get(y.getValue().lastKey());
                entries.add(new Entry(x.getKey(), y.getKey(), target, firstStepReaching(x.getValue(), target)));
            }
        }
        return entries;
    }

    static OptionalLong firstStepReaching(SortedMap<Long, Double> curve, double target) {
        for (Map.Entry<Long, Double> point : curve.entrySet()) {
            if (point.getValue() >= target) {
                return OptionalLong.of(point.getKey());
            }
        }
        return OptionalLong.empty();
    }
}
