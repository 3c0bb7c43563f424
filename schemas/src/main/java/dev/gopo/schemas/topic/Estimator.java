package dev.gopo.schemas.topic;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The advantage estimators, as the ranker runs them and the learner trains on them. Each writes its own topic
 * ({@code advantages} for GOPO, {@code advantages.<suffix>} for the others) so GOPO and its ablations are computed
 * from the very same groups; the enum name is what {@code AdvantageGroup.estimator} and
 * {@code PolicyVersion.estimator} carry. Only names and topics live here; the math is the ranker's
 * ({@code dev.gopo.ranker.advantage}).
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

    /** Suffix for {@link TopicNames#advantages(String)}: empty for GOPO, which owns the plain {@code advantages} topic. */
    public String topicSuffix() {
        return topicSuffix;
    }

    /**
     * The estimator whose advantages topic has this suffix (empty or null: GOPO).
     *
     * @throws IllegalArgumentException naming the known suffixes when none matches
     */
    public static Estimator forTopicSuffix(String suffix) {
        String s = suffix == null ? "" : suffix;
        for (Estimator e : values()) {
            if (e.topicSuffix.equals(s)) {
                return e;
            }
        }
        throw new IllegalArgumentException("no estimator writes an advantages topic with suffix '" + suffix + "'; use one of "
                + Arrays.stream(values()).map(e -> e.topicSuffix.isEmpty() ? "'' (GOPO)" : "'" + e.topicSuffix + "'")
                        .collect(Collectors.joining(", ")));
    }
}
