package dev.gopo.generator;

/** Where a completion's reward comes from. */
public enum RewardMode {
    /** The generator scores each completion with the task's reward model and puts it in the record. */
    INLINE,
    /** The generator leaves {@code reward} null; external producers write the rewards topic. */
    EXTERNAL
}
