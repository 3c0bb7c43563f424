package dev.gopo.rewardproducer;

import java.util.List;

/**
 * Scores completion texts. Implementations may return any real number, NaN and infinities
 * included: the producer checks finiteness, so a broken scorer can never put a non-finite reward
 * on the topic.
 */
interface CompletionScorer extends AutoCloseable {

    /** Whether this scorer can score completions of {@code task}. */
    boolean knows(String task);

    /**
     * Scores of {@code completions.get(i)} for {@code prompts.get(i)}, all of one task.
     *
     * @throws IllegalArgumentException when an input cannot be scored (e.g. a prompt the model cannot hold)
     */
    double[] score(String task, List<String> prompts, List<String> completions);

    @Override
    void close();
}
