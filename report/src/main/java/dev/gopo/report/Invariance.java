package dev.gopo.report;

import java.util.Map;
import java.util.SortedMap;

/**
 * How much a reward transform changes an estimator's learning curve: the largest absolute
 * difference, over the steps both curves have, between the seed-mean validation reward with the
 * identity transform and with the other one.
 *
 * <p>GOPO's advantages depend only on the ranks of the rewards within a group, and a strictly
 * increasing transform keeps the ranks, so in replay mode (the same samples in both runs) its
 * difference must be exactly 0. Score-based estimators (GRPO, Dr. GRPO, RLOO) are expected to move.
 *
 * @param steps how many steps the two curves share
 * @param max   the largest |identity − transformed| over those steps; {@code NaN} when they share none
 */
record Invariance(int steps, double max) {

    static Invariance of(SortedMap<Long, Double> identity, SortedMap<Long, Double> transformed) {
        int steps = 0;
        double max = 0;
        for (Map.Entry<Long, Double> point : identity.entrySet()) {
            Double other = transformed.get(point.getKey());
            if (other != null) {
                steps++;
                max = Math.max(max, Math.abs(point.getValue() - other));
            }
        }
        return new Invariance(steps, steps == 0 ? Double.NaN : max);
    }
}
