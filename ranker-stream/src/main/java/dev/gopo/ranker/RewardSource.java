package dev.gopo.ranker;

/** Where the ranker takes each completion's reward from. */
public enum RewardSource {
    /** The completion's own {@code reward} field, set by the generator; the rewards topic is not read. */
    INLINE,
    /** A record on the rewards topic; inline rewards are ignored. */
    EXTERNAL,
    /**
     * Either: a completion counts as scored as soon as it has an inline or an external reward, and a
     * group is emitted as soon as every completion is scored. When a completion has both at that
     * moment, the {@link RewardPreference} decides.
     */
    ANY;

    /** Whether the topology reads the rewards topic at all. */
    public boolean readsRewardsTopic() {
        return this != INLINE;
    }

    /** Whether inline rewards are kept. */
    public boolean usesInline() {
        return this != EXTERNAL;
    }

    /**
     * The reward a completion is ranked by under this source, or null when it has no usable one.
     *
     * @param inline the completion's inline reward, or null
     * @param external its reward from the rewards topic, or null
     * @param preference which one wins under {@link #ANY} when both are present
     */
    public Double pick(Double inline, Double external, RewardPreference preference) {
        return switch (this) {
            case INLINE -> inline;
            case EXTERNAL -> external;
            case ANY -> {
                if (inline != null && external != null) {
                    yield preference == RewardPreference.INLINE ? inline : external;
                }
                yield inline != null ? inline : external;
            }
        };
    }
}
