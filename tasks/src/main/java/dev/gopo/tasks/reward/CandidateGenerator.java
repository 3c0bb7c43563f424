package dev.gopo.tasks.reward;

import dev.gopo.tasks.Lexicon;
import dev.gopo.tasks.Randoms;
import dev.gopo.tasks.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Completions to be compared by the simulated raters, covering the quality range a policy visits
 * during training: the reference, edited references (one or two word or character edits), the
 * task's own typical mistakes ({@link Task#hardNegatives}) and random strings.
 *
 * <pre>
 * P(reference) = 0.10, P(edited reference) = 0.45, P(hard negative) = 0.25, P(random) = 0.20
 * </pre>
 */
final class CandidateGenerator {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    private final Task task;

    CandidateGenerator(Task task) {
        this.task = task;
    }

    /** One candidate completion of {@code prompt}; at most {@link Task#MAX_COMPLETION_CHARS} characters. */
    String sample(String prompt, SplittableRandom random) {
        String candidate = draw(prompt, random);
        return candidate.length() <= Task.MAX_COMPLETION_CHARS ? candidate
                : candidate.substring(0, Task.MAX_COMPLETION_CHARS).strip();
    }

    private String draw(String prompt, SplittableRandom random) {
        double u = random.nextDouble();
        String reference = task.reference(prompt);
        if (u < 0.10) {
            return reference;
        }
        if (u < 0.55) {
            String edited = edit(reference, prompt, random);
            return random.nextInt(3) == 0 ? edit(edited, prompt, random) : edited;
        }
        if (u < 0.80) {
            List<String> negatives = task.hardNegatives(prompt, random);
            if (!negatives.isEmpty()) {
                return Randoms.pick(negatives, random);
            }
        }
        return random.nextBoolean() ? randomLetters(random) : randomWords(random);
    }

    /** One word- or character-level edit of {@code text}. */
    static String edit(String text, String prompt, SplittableRandom random) {
        List<String> words = new ArrayList<>(List.of(text.strip().isEmpty() ? new String[0] : text.strip().split("\\s+")));
        List<String> promptWords = List.of(prompt.split("\\s+"));
        int op = random.nextInt(8);
        if (words.isEmpty()) {
            op = 1;
        }
        switch (op) {
            case 0 -> words.remove(random.nextInt(words.size()));                                   // drop a word
            case 1 -> words.add(random.nextInt(words.size() + 1), Randoms.pick(Lexicon.words(), random)); // add a word
            case 2 -> words.add(random.nextInt(words.size() + 1), Randoms.pick(promptWords, random)); // copy from prompt
            case 3 -> words.add(random.nextInt(words.size() + 1), Randoms.pick(words, random));     // repeat a word
            case 4 -> {                                                                             // swap neighbours
                if (words.size() >= 2) {
                    int i = random.nextInt(words.size() - 1);
                    words.set(i, words.set(i + 1, words.get(i)));
                } else {
                    words.add(Randoms.pick(Lexicon.words(), random));
                }
            }
            case 5 -> words.set(random.nextInt(words.size()), Randoms.pick(Lexicon.words(), random)); // replace a word
            case 6 -> {                                                                             // typo
                int i = random.nextInt(words.size());
                String w = words.get(i);
                int at = random.nextInt(w.length());
                words.set(i, w.substring(0, at) + LETTERS.charAt(random.nextInt(LETTERS.length())) + w.substring(at + 1));
            }
            default -> {                                                                            // cut mid-word
                String joined = String.join(" ", words);
                return joined.substring(0, random.nextInt(joined.length() + 1));
            }
        }
        return String.join(" ", words);
    }

    /** 1..20 random letters with occasional spaces: babble. */
    private static String randomLetters(SplittableRandom random) {
        int length = 1 + random.nextInt(20);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(random.nextInt(5) == 0 && i > 0 ? ' ' : LETTERS.charAt(random.nextInt(LETTERS.length())));
        }
        return sb.toString().strip();
    }

    /** 1..5 random lexicon words: fluent but off-task. */
    private static String randomWords(SplittableRandom random) {
        int count = 1 + random.nextInt(5);
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add(Randoms.pick(Lexicon.words(), random));
        }
        return String.join(" ", words);
    }
}
