package dev.gopo.ranker;

/**
 * With {@link RewardSource#ANY}: which reward a completion gets when both an inline and an
 * external one are present at the moment its group is emitted.
 */
public enum RewardPreference {
    INLINE,
    EXTERNAL
}
