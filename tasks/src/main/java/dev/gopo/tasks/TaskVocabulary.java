package dev.gopo.tasks;

import dev.gopo.policy.Tokenizer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The word vocabulary of the prepared policy: the {@link Lexicon} (every word a completion may
 * use) followed by every other word a built-in prompt can contain ({@link Task#promptWords()}),
 * each once, in a fixed order. A word-level policy writes only words; whether it writes the
 * right ones is what the reward model, the judge and RL are about. (A character-level policy of
 * this size spends its whole warm start learning to spell and writes non-words that every gold
 * measure scores 0, so groups carry no ranking signal.)
 */
public final class TaskVocabulary {

    /** New tokens a generator or evaluator allows per completion: the longest reference (5 words), room for more, and EOS. */
    public static final int MAX_COMPLETION_TOKENS = 12;
    /** Context of the prepared policy: the longest prompt (12 tokens with BOS and SEP) plus {@link #MAX_COMPLETION_TOKENS}, rounded up. */
    public static final int CONTEXT = 32;

    private static final List<String> WORDS = collect();
    private static final Tokenizer TOKENIZER = Tokenizer.words(WORDS);

    private TaskVocabulary() {}

    /** The words, in id order from id 5 (after the specials and {@link Tokenizer#UNKNOWN_WORD}). */
    public static List<String> words() {
        return WORDS;
    }

    /** The word-level tokenizer over {@link #words()}. */
    public static Tokenizer tokenizer() {
        return TOKENIZER;
    }

    private static List<String> collect() {
        Set<String> words = new LinkedHashSet<>(Lexicon.words());
        for (Task task : TaskRegistry.all()) {
            words.addAll(task.promptWords());
        }
        return List.copyOf(words);
    }
}
