package dev.gopo.ranker.advantage;

/**
 * Ranks and advantages of one group, element {@code i} belonging to the {@code i}-th reward passed
 * to the estimator.
 *
 * @param ranks rank within the group, 1 = highest reward (possibly fractional for ties)
 * @param advantages advantage {@code A_i} given to every token of completion {@code i}
 */
public record GroupAdvantages(double[] ranks, double[] advantages) {
    public GroupAdvantages {
        if (ranks.length != advantages.length) {
            throw new IllegalArgumentException(ranks.length + " ranks but " + advantages.length + " advantages");
        }
    }

    public int size() {
        return ranks.length;
    }
}
