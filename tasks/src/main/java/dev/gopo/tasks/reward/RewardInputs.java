package dev.gopo.tasks.reward;

import dev.gopo.policy.Tokenizer;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Right-padded word-level reward-model inputs for a batch of (prompt, completion) pairs, on the CPU.
 *
 * <p>Row {@code i} is the word sequence {@code prompt-words SEP completion-words EOS PAD...}
 * (words split on whitespace). Each word is its first {@code L = maxWordChars} character ids
 * (the policy tokenizer's ids, PAD = 0 after the word's end); the markers are one-character words
 * made of the tokenizer's {@code SEP} and {@code EOS} ids. Alongside: a segment id (0 prompt,
 * 1 completion including EOS), the word's length (capped at {@code L + 1}, so "longer than read"
 * is still visible), on the EOS marker the completion's word count, and for every word how often
 * it occurs in the prompt and in the completion (all capped). Counts are given because softmax
 * attention averages and cannot count by itself; exact-match term counts are the classic lexical
 * features of learned rankers. Characters outside printable ASCII become {@code '?'}.
 */
final class RewardInputs {

    /** Word counts at or above this share one embedding. */
    static final int MAX_COUNT = 15;
    /** Occurrence counts at or above this share one embedding. */
    static final int MAX_OCCURRENCES = 4;

    private static final Tokenizer TOKENIZER = Tokenizer.ascii();
    private static final char UNKNOWN = '?';

    final int batchSize;
    /** Words per row W. */
    final int length;
    /** Characters per word L. */
    final int wordChars;
    /** {@code (B, W, L)} character ids, 0 = padding. */
    final int[] chars;
    /** {@code (B, W)} 0 for prompt words and SEP, 1 for completion words and EOS. */
    final int[] segments;
    /** {@code (B, W)} word length in characters, capped at {@code L + 1}; 0 on padding. */
    final int[] wordLengths;
    /** {@code (B, W)} completion word count + 1 (capped) on the EOS marker, 0 elsewhere. */
    final int[] countIds;
    /** {@code (B, W)} occurrences of the word among the prompt words (capped); 0 on markers and padding. */
    final int[] inPrompt;
    /** {@code (B, W)} occurrences of the word among the completion words (capped); 0 on markers and padding. */
    final int[] inCompletion;
    /** {@code (B, W)} 1 on real words (markers included), 0 on padding. */
    final float[] realMask;
    /** {@code (B, W)} 1 on completion words and EOS. */
    final float[] completionMask;

    private RewardInputs(int batchSize, int length, int wordChars, int[] chars, int[] segments, int[] wordLengths,
                         int[] countIds, int[] inPrompt, int[] inCompletion, float[] realMask,
                         float[] completionMask) {
        this.batchSize = batchSize;
        this.length = length;
        this.wordChars = wordChars;
        this.chars = chars;
        this.segments = segments;
        this.wordLengths = wordLengths;
        this.countIds = countIds;
        this.inPrompt = inPrompt;
        this.inCompletion = inCompletion;
        this.realMask = realMask;
        this.completionMask = completionMask;
    }

    /**
     * Encodes the pairs; completion words that do not fit {@code maxWords} are dropped.
     *
     * @throws IllegalArgumentException when the lists differ in size, are empty, or a prompt alone
     *     does not leave room for the markers and one completion word
     */
    static RewardInputs of(List<String> prompts, List<String> completions, RewardModelConfig config) {
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + completions.size()
                    + " completions: pass one completion per prompt");
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("nothing to score: the batch is empty");
        }
        int batch = prompts.size();
        int maxWords = config.maxWords();
        int chars = config.maxWordChars();
        String[][] promptWords = new String[batch][];
        String[][] completionWords = new String[batch][];
        int length = 0;
        for (int i = 0; i < batch; i++) {
            promptWords[i] = split(prompts.get(i));
            int room = maxWords - promptWords[i].length - 2;
            if (room < 1) {
                throw new IllegalArgumentException("prompt of " + promptWords[i].length + " words leaves no room in "
                        + "the reward model's " + maxWords + " words: shorten the prompt or raise maxWords");
            }
            String[] all = split(completions.get(i));
            completionWords[i] = all.length > room ? java.util.Arrays.copyOf(all, room) : all;
            length = Math.max(length, promptWords[i].length + completionWords[i].length + 2);
        }
        int[] charIds = new int[batch * length * chars];
        int[] segments = new int[batch * length];
        int[] lengths = new int[batch * length];
        int[] counts = new int[batch * length];
        int[] inPrompt = new int[batch * length];
        int[] inCompletion = new int[batch * length];
        float[] real = new float[batch * length];
        float[] completion = new float[batch * length];
        for (int i = 0; i < batch; i++) {
            Map<String, Integer> promptCounts = occurrences(promptWords[i]);
            Map<String, Integer> completionCounts = occurrences(completionWords[i]);
            int w = i * length;
            for (String word : promptWords[i]) {
                inPrompt[w] = promptCounts.get(word);
                inCompletion[w] = completionCounts.getOrDefault(word, 0);
                putWord(word, w++, chars, charIds, lengths);
            }
            putMarker(Tokenizer.SEP, w++, chars, charIds, lengths);
            for (String word : completionWords[i]) {
                segments[w] = 1;
                inPrompt[w] = promptCounts.getOrDefault(word, 0);
                inCompletion[w] = completionCounts.get(word);
                putWord(word, w++, chars, charIds, lengths);
            }
            segments[w] = 1;
            counts[w] = Math.min(completionWords[i].length, MAX_COUNT) + 1;
            putMarker(Tokenizer.EOS, w++, chars, charIds, lengths);
            for (int k = i * length; k < w; k++) {
                real[k] = 1f;
                completion[k] = segments[k];
            }
        }
        return new RewardInputs(batch, length, chars, charIds, segments, lengths, counts, inPrompt, inCompletion,
                real, completion);
    }

    private static void putWord(String word, int slot, int chars, int[] charIds, int[] lengths) {
        int[] ids = TOKENIZER.encode(clean(word.length() > chars ? word.substring(0, chars) : word));
        System.arraycopy(ids, 0, charIds, slot * chars, ids.length);
        lengths[slot] = Math.min(word.length(), chars + 1);
    }

    private static void putMarker(int id, int slot, int chars, int[] charIds, int[] lengths) {
        charIds[slot * chars] = id;
        lengths[slot] = 1;
    }

    /** Occurrences of each word, capped at {@link #MAX_OCCURRENCES}. */
    private static Map<String, Integer> occurrences(String[] words) {
        Map<String, Integer> counts = new HashMap<>();
        for (String w : words) {
            counts.merge(w, 1, (a, b) -> Math.min(MAX_OCCURRENCES, a + b));
        }
        return counts;
    }

    private static String[] split(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? new String[0] : trimmed.split("\\s+");
    }

    private static String clean(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(c >= 32 && c <= 126 ? c : UNKNOWN);
        }
        return sb.toString();
    }
}
