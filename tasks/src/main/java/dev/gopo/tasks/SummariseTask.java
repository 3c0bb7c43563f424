package dev.gopo.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Summarise a word sequence: the prompt {@code "sum: "} + 7 to 9 lowercase words in which two or
 * three <em>key</em> words repeat (2 or 3 times each) among words that occur once. A good summary
 * lists the key words (count &gt;= 2) in order of first appearance, nothing else, once each.
 * Example: prompt {@code "sum: sky cat fig cat map sky dog"}, reference {@code "sky cat"}.
 *
 * <p>Gold quality, with {@code K} the key words and {@code C} the completion's words
 * ({@code q = 0} for an empty completion):
 * <pre>
 * recall    = |set(C) ∩ K| / |K|
 * precision = |{c in C : c in K}| / |C|
 * unique    = |set(C)| / |C|
 * order     = share of consecutive pairs of the key words found (first occurrences, in C order)
 *             that follow their order in the prompt; 1 when fewer than two were found
 * q = 0.4 recall + 0.3 precision + recall (0.15 order + 0.15 unique)
 * </pre>
 * The order and uniqueness credits are scaled by recall so that no-content answers earn nothing.
 */
public final class SummariseTask implements Task {

    public static final String NAME = "summarise";
    static final String PREFIX = "sum: ";

    private static final List<String> POOL = Lexicon.wordsOfLength(3, 4);
    /** Generation attempts per requested prompt before giving up on a saturated split. */
    private static final int ATTEMPTS_PER_PROMPT = 50;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "list the words that repeat in the prompt, in order of first appearance, once each";
    }

    @Override
    public List<String> promptWords() {
        List<String> words = new ArrayList<>();
        words.add(PREFIX.strip());
        words.addAll(POOL);
        return Collections.unmodifiableList(words);
    }

    @Override
    public List<TaskPrompt> prompts(Split split, int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        // Mix the split into the stream so train and eval lists do not share a generation order.
        SplittableRandom random = new SplittableRandom(seed * 31 + split.ordinal());
        Set<String> seen = new HashSet<>();
        List<TaskPrompt> out = new ArrayList<>(count);
        long attempts = (long) ATTEMPTS_PER_PROMPT * count + 1_000;
        for (long a = 0; a < attempts && out.size() < count; a++) {
            String text = generate(random);
            if (PromptSplit.of(text) == split && seen.add(text)) {
                out.add(TaskPrompt.of(NAME, text));
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public int promptSpaceSize(Split split) {
        return Integer.MAX_VALUE;
    }

    @Override
    public String reference(String prompt) {
        return String.join(" ", keyWords(prompt));
    }

    @Override
    public double goldQuality(String prompt, String completion) {
        List<String> keys = keyWords(prompt);
        List<String> words = Words.split(completion);
        if (words.isEmpty()) {
            return 0.0;
        }
        Set<String> keySet = new HashSet<>(keys);
        Set<String> distinct = new LinkedHashSet<>(words);
        List<String> found = new ArrayList<>();
        for (String w : distinct) {
            if (keySet.contains(w)) {
                found.add(w);
            }
        }
        long inKeys = words.stream().filter(keySet::contains).count();
        double recall = (double) found.size() / keys.size();
        double precision = (double) inKeys / words.size();
        double unique = (double) distinct.size() / words.size();
        double order = orderScore(found, keys);
        return 0.4 * recall + 0.3 * precision + recall * (0.15 * order + 0.15 * unique);
    }

    @Override
    public List<String> hardNegatives(String prompt, SplittableRandom random) {
        List<String> keys = keyWords(prompt);
        List<String> body = body(prompt);
        List<String> fillers = new ArrayList<>(new LinkedHashSet<>(body));
        fillers.removeAll(keys);
        List<String> out = new ArrayList<>();
        out.add(String.join(" ", new LinkedHashSet<>(body)));                // every distinct word
        out.add(String.join(" ", body.subList(0, Math.min(body.size(), 4)))); // the prompt's opening
        List<String> reversed = new ArrayList<>(keys);
        Collections.reverse(reversed);
        out.add(String.join(" ", reversed));                                  // wrong order
        if (!fillers.isEmpty()) {
            out.add(fillers.get(random.nextInt(fillers.size())));             // a word that occurs once
            List<String> mixed = new ArrayList<>(keys);
            mixed.set(random.nextInt(mixed.size()), fillers.get(random.nextInt(fillers.size())));
            out.add(String.join(" ", mixed));                                 // one key replaced by a filler
        }
        return out;
    }

    /** The words of the prompt that occur at least twice, in order of first appearance. */
    static List<String> keyWords(String prompt) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String w : body(prompt)) {
            counts.merge(w, 1, Integer::sum);
        }
        List<String> keys = new ArrayList<>();
        counts.forEach((w, c) -> {
            if (c >= 2) {
                keys.add(w);
            }
        });
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("summarise prompt '" + prompt + "' has no repeated word");
        }
        return keys;
    }

    private static List<String> body(String prompt) {
        if (prompt == null || !prompt.startsWith(PREFIX)) {
            throw new IllegalArgumentException("'" + prompt + "' is not a summarise prompt: it must start with '"
                    + PREFIX + "'");
        }
        return Words.split(prompt.substring(PREFIX.length()));
    }

    /** Share of consecutive found key words that keep the prompt's order. */
    private static double orderScore(List<String> found, List<String> keys) {
        if (found.size() < 2) {
            return 1.0;
        }
        int inOrder = 0;
        for (int i = 1; i < found.size(); i++) {
            if (keys.indexOf(found.get(i - 1)) < keys.indexOf(found.get(i))) {
                inOrder++;
            }
        }
        return (double) inOrder / (found.size() - 1);
    }

    /** One candidate prompt; retried by the caller's loop when it is too long or falls in the other split. */
    private static String generate(SplittableRandom random) {
        while (true) {
            int keyCount = 2 + random.nextInt(2);
            int total = 7 + random.nextInt(3);
            List<String> shuffled = new ArrayList<>(POOL);
            Randoms.shuffle(shuffled, random);
            List<String> words = new ArrayList<>();
            int next = 0;
            for (int k = 0; k < keyCount; k++) {
                String key = shuffled.get(next++);
                int repeats = random.nextInt(3) == 0 ? 3 : 2;
                for (int r = 0; r < repeats; r++) {
                    words.add(key);
                }
            }
            // At least one word that occurs once, so that "copy every word" is never the answer.
            int fillers = Math.max(1, total - words.size());
            for (int f = 0; f < fillers; f++) {
                words.add(shuffled.get(next++));
            }
            Randoms.shuffle(words, random);
            String text = PREFIX + String.join(" ", words);
            if (text.length() <= MAX_PROMPT_CHARS) {
                return text;
            }
        }
    }
}
