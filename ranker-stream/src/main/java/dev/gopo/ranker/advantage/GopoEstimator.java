package dev.gopo.ranker.advantage;

/**
 * GOPO rank advantage (Group Ordinal Policy Optimization, Choi, Saha, Kim, Agarwal, Dwivedi,
 * arXiv 2602.03876, 2026):
 *
 * <pre>
 *   A_i = 2 - 4 (rank_i - 1) / (G - 1)        rank 1 = highest reward
 * </pre>
 *
 * linear in rank from +2 (best) to -2 (worst), mean 0, and blind to reward magnitudes: any strictly
 * increasing transform of the rewards gives the same advantages. {@code G} is the number of scored
 * completions being ranked (fewer than the announced group size for a partial group).
 *
 * <p>Ties: {@link TieRule#AVERAGE} (this project's default) gives tied rewards the same average
 * rank, so equal rewards get equal advantages and an all-equal group gets all zeros.
 * {@link TieRule#BY_INDEX} reproduces the reference code, which ranks by argsort of argsort and so
 * hands tied completions distinct ranks (an all-equal group still gets the full +2..-2 spread);
 * here the order among ties is by index, so it is deterministic.
 *
 * <p>{@code G = 1}: advantage 0 (rank 1, nothing to compare with).
 */
public final class GopoEstimator implements AdvantageEstimator {
    /** How tied rewards are ranked. */
    public enum TieRule {
        /** Ties share the average of their ranks (default). */
        AVERAGE,
        /** Ties get distinct ranks, lower index first, as the reference code's argsort of argsort does (in some order). */
        BY_INDEX
    }

    private final TieRule ties;

    public GopoEstimator(TieRule ties) {
        this.ties = ties;
    }

    @Override
    public GroupAdvantages estimate(double[] rewards) {
        Rewards.requireValid(rewards);
        double[] ranks = ties == TieRule.AVERAGE ? Ranks.average(rewards) : Ranks.byIndex(rewards);
        int g = rewards.length;
        double[] advantages = new double[g];
        if (g > 1) {
            for (int i = 0; i < g; i++) {
                advantages[i] = 2.0 - 4.0 * (ranks[i] - 1.0) / (g - 1);
            }
        }
        return new GroupAdvantages(ranks, advantages);
    }

    @Override
    public String toString() {
        return "GOPO(ties=" + ties + ")";
    }
}
