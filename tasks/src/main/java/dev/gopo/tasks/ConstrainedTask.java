package dev.gopo.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instruction following with verifiable-looking but hidden constraints, in the spirit of IFEval:
 * the prompt {@code "list N words: start X, max M letters"} asks for {@code N} (2..5) different
 * real words starting with letter {@code X}, each of at most {@code M} (4..6) letters. Real words
 * are those of the {@link Lexicon}. Example: prompt {@code "list 3 words: start b, max 4 letters"},
 * reference {@code "bell bird boat"}.
 *
 * <p>The reference takes the {@code N} longest allowed lexicon words (ties in lexicon order),
 * shown in lexicon order, so it sits right at the length limit. Gold quality counts the words that
 * satisfy every constraint at once, with {@code W} the completion's words:
 * <pre>
 * valid = |{w in W : w in lexicon, w starts with X, |w| <= M, w not seen earlier in W}|
 * q     = valid / max(|W|, N)
 * </pre>
 * so {@code N} valid words and nothing else score 1, each missing, extra, repeated, misspelt,
 * too long or wrongly initialled word costs its share, and an empty completion scores 0. Words
 * that break a constraint earn nothing (an earlier version gave partial credit per constraint,
 * under which any list of real words scored about 0.35 and groups barely differed).
 */
public final class ConstrainedTask implements Task {

    public static final String NAME = "constrained";

    static final int MIN_COUNT = 2;
    static final int MAX_COUNT = 5;
    static final int MIN_LETTERS = 4;
    static final int MAX_LETTERS = 6;

    private static final Pattern PROMPT = Pattern.compile("list (\\d) words: start ([a-z]), max (\\d) letters");

    /** The parsed instruction. */
    record Constraints(int count, char initial, int maxLetters) {
        String text() {
            return "list " + count + " words: start " + initial + ", max " + maxLetters + " letters";
        }
    }

    /** Every prompt text, in canonical order, before the split filter. */
    private static final List<Constraints> ALL = enumerate();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "list N different real words starting with a letter, each at most M letters long";
    }

    @Override
    public List<String> promptWords() {
        Set<String> words = new java.util.LinkedHashSet<>();
        for (Constraints c : ALL) {
            words.addAll(Words.split(c.text()));
        }
        return List.copyOf(words);
    }

    @Override
    public List<TaskPrompt> prompts(Split split, int count, long seed) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0, got " + count);
        }
        List<TaskPrompt> inSplit = new ArrayList<>();
        for (Constraints c : ALL) {
            TaskPrompt p = TaskPrompt.of(NAME, c.text());
            if (p.split() == split) {
                inSplit.add(p);
            }
        }
        Randoms.shuffle(inSplit, new SplittableRandom(seed));
        return Collections.unmodifiableList(inSplit.subList(0, Math.min(count, inSplit.size())));
    }

    @Override
    public int promptSpaceSize(Split split) {
        return (int) ALL.stream().filter(c -> PromptSplit.of(c.text()) == split).count();
    }

    @Override
    public String reference(String prompt) {
        Constraints c = parse(prompt);
        List<String> allowed = new ArrayList<>(Lexicon.wordsStartingWith(c.initial(), c.maxLetters()));
        List<String> longest = new ArrayList<>(allowed);
        // Stable sort: equal lengths keep lexicon order.
        longest.sort(Comparator.comparingInt(String::length).reversed());
        Set<String> chosen = new HashSet<>(longest.subList(0, c.count()));
        List<String> out = new ArrayList<>();
        for (String w : allowed) {
            if (chosen.contains(w)) {
                out.add(w);
            }
        }
        return String.join(" ", out);
    }

    @Override
    public double goldQuality(String prompt, String completion) {
        Constraints c = parse(prompt);
        List<String> words = Words.split(completion);
        if (words.isEmpty()) {
            return 0.0;
        }
        Set<String> seen = new HashSet<>();
        int valid = 0;
        for (String w : words) {
            boolean first = seen.add(w);
            if (first && Lexicon.contains(w) && w.charAt(0) == c.initial() && w.length() <= c.maxLetters()) {
                valid++;
            }
        }
        return (double) valid / Math.max(words.size(), c.count());
    }

    @Override
    public List<String> hardNegatives(String prompt, SplittableRandom random) {
        Constraints c = parse(prompt);
        List<String> reference = Words.split(reference(prompt));
        List<String> out = new ArrayList<>();
        List<String> otherInitial = new ArrayList<>();
        List<String> tooLong = new ArrayList<>();
        for (String w : Lexicon.words()) {
            if (w.charAt(0) != c.initial()) {
                otherInitial.add(w);
            } else if (w.length() > c.maxLetters()) {
                tooLong.add(w);
            }
        }
        List<String> wrongLetter = new ArrayList<>();
        for (int i = 0; i < c.count(); i++) {
            wrongLetter.add(Randoms.pick(otherInitial, random));
        }
        out.add(String.join(" ", wrongLetter));                                   // ignores the letter
        if (!tooLong.isEmpty()) {
            List<String> longer = new ArrayList<>(reference);
            longer.set(random.nextInt(longer.size()), Randoms.pick(tooLong, random));
            out.add(String.join(" ", longer));                                    // breaks the length limit
        }
        List<String> extra = new ArrayList<>(reference);
        extra.add(Randoms.pick(Lexicon.wordsStartingWith(c.initial(), MAX_LETTERS + 10), random));
        out.add(String.join(" ", extra));                                         // one word too many
        out.add(String.join(" ", reference.subList(0, reference.size() - 1)));   // one word short
        List<String> repeated = new ArrayList<>(reference);
        repeated.set(repeated.size() - 1, repeated.get(0));
        out.add(String.join(" ", repeated));                                      // a repeat
        out.add(c.initial() + nonsense(random) + " " + c.initial() + nonsense(random)); // word-like non-words
        return out;
    }

    /** Two or three letters that make no lexicon word after any initial (no vowels but y). */
    private static String nonsense(SplittableRandom random) {
        String letters = "qxzjvky";
        StringBuilder sb = new StringBuilder();
        int length = 2 + random.nextInt(2);
        for (int i = 0; i < length; i++) {
            sb.append(letters.charAt(random.nextInt(letters.length())));
        }
        return sb.toString();
    }

    /**
     * Parses a prompt of this task.
     *
     * @throws IllegalArgumentException naming the expected form
     */
    static Constraints parse(String prompt) {
        Matcher m = prompt == null ? null : PROMPT.matcher(prompt);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("'" + prompt + "' is not a constrained prompt: expected the form "
                    + "'list N words: start X, max M letters'");
        }
        int count = Integer.parseInt(m.group(1));
        char initial = m.group(2).charAt(0);
        int max = Integer.parseInt(m.group(3));
        if (count < MIN_COUNT || count > MAX_COUNT || Lexicon.INITIALS.indexOf(initial) < 0
                || max < MIN_LETTERS || max > MAX_LETTERS) {
            throw new IllegalArgumentException("'" + prompt + "' asks for N=" + count + ", X=" + initial + ", M="
                    + max + ": supported are N in " + MIN_COUNT + ".." + MAX_COUNT + ", X in " + Lexicon.INITIALS
                    + ", M in " + MIN_LETTERS + ".." + MAX_LETTERS);
        }
        return new Constraints(count, initial, max);
    }

    private static List<Constraints> enumerate() {
        List<Constraints> all = new ArrayList<>();
        for (int n = MIN_COUNT; n <= MAX_COUNT; n++) {
            for (char x : Lexicon.INITIALS.toCharArray()) {
                for (int m = MIN_LETTERS; m <= MAX_LETTERS; m++) {
                    all.add(new Constraints(n, x, m));
                }
            }
        }
        return List.copyOf(all);
    }
}
