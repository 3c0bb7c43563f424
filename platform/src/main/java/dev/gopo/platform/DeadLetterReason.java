package dev.gopo.platform;

/** Why a record went to the dead-letter topic. The names are the {@code reason} field's values. */
public enum DeadLetterReason {
    /** Bytes that are not valid Confluent-wire-format Avro for the topic's record type. */
    UNDECODABLE,
    /** A reward that is NaN or infinite. */
    NON_FINITE_REWARD,
    /** A completion or reward index outside {@code [0, groupSize)}. */
    INDEX_OUT_OF_RANGE,
    /** A completion whose group size differs from the group's, or a non-positive group size. */
    GROUP_SIZE_MISMATCH,
    /** A record whose fields contradict each other (e.g. key differs from groupId, token and log-prob counts differ). */
    INCONSISTENT_RECORD,
    /**
     * A completion whose token ids do not fit the consuming worker's model: an id outside its vocabulary
     * {@code [0, vocabSize)}, or prompt + completion longer than its context. Written by another model or a bad
     * producer; training on it would fail every time it is read (a poison pill), so it is set aside instead. Checked
     * by the first worker that knows the vocabulary (the reward producer) and always by the learner.
     */
    MODEL_MISMATCH,
    /** A group that did not complete within the timeout and had too few scored completions to emit. */
    GROUP_TIMEOUT,
    /** A prompt that does not fit the model's context. */
    PROMPT_TOO_LONG,
    /** A prompt whose text cannot be tokenized (characters outside the vocabulary) or is empty. */
    INVALID_PROMPT,
    /** A prompt for a task this deployment does not know. */
    UNKNOWN_TASK,
    /** A policy version whose weights are missing or unreadable. */
    WEIGHTS_MISSING,
    /** A policy version whose weights do not match the announced SHA-256. */
    WEIGHTS_HASH_MISMATCH,
    /**
     * A group sampled by weights more than --max-staleness-steps learner optimiser steps old (or, when
     * the learner also sets --max-policy-lag, more than that many announced versions old).
     */
    STALE_POLICY,
    /**
     * A group with a completion that claims a policy version or optimiser step the learner has not
     * reached: a bad producer, or generators still on versions a restored learner lost. Its staleness
     * cannot be measured, so it is not trained on.
     */
    FUTURE_POLICY,
    /** A group sampled at a temperature other than the learner's: its behaviour log-probs are of another distribution. */
    TEMPERATURE_MISMATCH,
    /**
     * A group of a learner step whose loss or gradient norm was NaN or infinite, again when the
     * step was recomputed (e.g. absurd behaviour log-probs); the step was skipped, nothing trained.
     */
    NON_FINITE_UPDATE
}
