package dev.gopo.report;

import java.util.List;
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

    /**
     * The final validation reward with the transform minus the final one with the identity, paired by seed
     * ({@code d_s = final_transformed(s) − final_identity(s)} for the seeds both cells have, final = the largest
     * step of each seed's cell), with its 95% t-interval over seeds: online, where the two runs sample different
     * rollouts, "statistically indistinguishable" means this interval covers 0. Empty when no seed has both.
     */
    static java.util.Optional<SeedInterval> pairedFinalDifference(List<StudyRow> identity, List<StudyRow> transformed) {
        Map<Long, Double> base = finalBySeed(identity);
        Map<Long, Double> moved = finalBySeed(transformed);
        double[] differences = base.keySet().stream().filter(moved::containsKey).sorted()
                .mapToDouble(seed -> moved.get(seed) - base.get(seed)).toArray();
        return differences.length == 0 ? java.util.Optional.empty() : java.util.Optional.of(SeedInterval.of(differences));
    }

    private static Map<Long, Double> finalBySeed(List<StudyRow> rows) {
        Map<Long, StudyRow> last = new java.util.TreeMap<>();
        for (StudyRow row : rows) {
            last.merge(row.seed(), row, (a, b) -> b.eval().step() >= a.eval().step() ? b : a);
        }
        Map<Long, Double> out = new java.util.TreeMap<>();
        last.forEach((seed, row) -> out.put(seed, row.eval().validationReward()));
        return out;
    }
}
