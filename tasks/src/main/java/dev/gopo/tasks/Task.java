package dev.gopo.tasks;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A built-in task: deterministic prompts, a reference output per prompt for the supervised warm
 * start, and a hidden gold quality that only the {@link dev.gopo.tasks.judge.Judge} (the stand-in
 * for an LLM-as-judge) and preference sampling (the stand-in for human raters) may look at. The
 * policy is trained against a learned {@link dev.gopo.tasks.reward.RewardModel}, never against
 * the gold quality, so rewards are non-verifiable as in the paper.
 *
 * <p>Texts are short lowercase words separated by single spaces: the prepared policy is
 * word-level over {@link TaskVocabulary} (every word a prompt can contain plus the
 * {@link Lexicon}), and {@code BOS + prompt + SEP + completion + EOS} must fit its context.
 * Implementations are immutable and thread-safe.
 */
public interface Task {

    /** Longest prompt text a task produces. */
    int MAX_PROMPT_CHARS = 48;
    /** Longest reference a task produces; generators should allow at least this + EOS new tokens. */
    int MAX_COMPLETION_CHARS = 40;

    /** Longest good completion in words; generators should allow more (see {@link TaskVocabulary#MAX_COMPLETION_TOKENS}). */
    int MAX_COMPLETION_WORDS = 5;

    /** Name used on the command line and in the cache, e.g. {@code summarise}. */
    String name();

    /** One line saying what a good completion is. */
    String description();

    /**
     * Distinct prompts of {@code split}, deterministic in {@code seed}: the same arguments always
     * give the same list. Returns {@code count} prompts, or every prompt of the split when the
     * task has fewer (see {@link #promptSpaceSize}).
     */
    List<TaskPrompt> prompts(Split split, int count, long seed);

    /**
     * Number of distinct prompts the task can produce in {@code split}, or
     * {@link Integer#MAX_VALUE} when it is practically unbounded.
     */
    int promptSpaceSize(Split split);

    /**
     * A good completion of {@code prompt}, with gold quality 1.
     *
     * @throws IllegalArgumentException when {@code prompt} is not a prompt of this task
     */
    String reference(String prompt);

    /**
     * The hidden quality of {@code completion} for {@code prompt}, in {@code [0, 1]}: 1 for the
     * reference, near 0 for random strings. Any string is accepted.
     *
     * @throws IllegalArgumentException when {@code prompt} is not a prompt of this task
     */
    double goldQuality(String prompt, String completion);

    /**
     * Every word a prompt of this task can contain (its template words and its word pool), in a
     * fixed order; the word-level tokenizer is built from these and the {@link Lexicon}.
     */
    List<String> promptWords();

    /**
     * Plausible but flawed completions of {@code prompt}, for preference data: the mistakes a
     * policy of this task typically makes. May be empty.
     */
    List<String> hardNegatives(String prompt, SplittableRandom random);
}
