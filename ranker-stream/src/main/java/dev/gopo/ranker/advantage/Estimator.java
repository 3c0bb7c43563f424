package dev.gopo.ranker.advantage;

/**
 * The advantage estimators the ranker can run side by side, each writing its own topic
 * ({@code advantages} for GOPO, {@code advantages.<suffix>} for the others) so GOPO and its
 * ablations are computed from the very same groups.
 */
public enum Estimator {
    /** GOPO with average ranks for ties (this project's default). */
    GOPO(""),
    /** GOPO with the reference code's distinct ranks for ties (by index here). */
    GOPO_ARBITRARY_TIES("gopo-arbitrary-ties"),
    /** GRPO: {@code (r - mean) / (std + eps)}. */
    GRPO("grpo"),
    /** Dr. GRPO: {@code r - mean}. */
    DR_GRPO("dr-grpo"),
    /** RLOO: {@code r_i - mean of the others}. */
    RLOO("rloo");

    private final String topicSuffix;

    Estimator(String topicSuffix) {
        this.topicSuffix = topicSuffix;
    }

    /** Suffix for {@code TopicNames.advantages(suffix)}: empty for GOPO, which owns the plain {@code advantages} topic. */
    public String topicSuffix() {
        return topicSuffix;
    }

    /**
     * A new estimator of this kind.
     *
     * @param grpoEps the {@code eps} of {@link GrpoEstimator}; ignored by the others
     */
    public AdvantageEstimator create(double grpoEps) {
        return switch (this) {
            case GOPO -> new GopoEstimator(GopoEstimator.TieRule.AVERAGE);
            case GOPO_ARBITRARY_TIES -> new GopoEstimator(GopoEstimator.TieRule.BY_INDEX);
            case GRPO -> new GrpoEstimator(grpoEps);
            case DR_GRPO -> new DrGrpoEstimator();
            case RLOO -> new RlooEstimator();
        };
    }
}
