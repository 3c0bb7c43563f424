package dev.gopo.ranker.advantage;

import dev.gopo.schemas.topic.Estimator;

/**
 * Turns the rewards of one group of completions into one advantage per completion.
 *
 * <p>Implementations are pure and stateless. Every implementation rejects an empty group and any
 * non-finite reward with {@link IllegalArgumentException} (a NaN must never be ranked), and
 * defines a group of one completion to have advantage 0: there is nothing to compare it with.
 */
public interface AdvantageEstimator {
    /**
     * @param rewards the rewards {@code r_1..r_G} of the group, in any order; not modified
     * @return ranks and advantages in the order of {@code rewards}
     * @throws IllegalArgumentException when {@code rewards} is empty or holds NaN or an infinity
     * @throws ArithmeticException when the rewards are finite but so large that the result overflows
     */
    GroupAdvantages estimate(double[] rewards);

    /**
     * The implementation of one estimator.
     *
     * @param grpoEps the {@code eps} of {@link GrpoEstimator}; ignored by the others
     */
    static AdvantageEstimator of(Estimator estimator, double grpoEps) {
        return switch (estimator) {
            case GOPO -> new GopoEstimator(GopoEstimator.TieRule.AVERAGE);
            case GOPO_ARBITRARY_TIES -> new GopoEstimator(GopoEstimator.TieRule.BY_INDEX);
            case GRPO -> new GrpoEstimator(grpoEps);
            case DR_GRPO -> new DrGrpoEstimator();
            case RLOO -> new RlooEstimator();
        };
    }
}
