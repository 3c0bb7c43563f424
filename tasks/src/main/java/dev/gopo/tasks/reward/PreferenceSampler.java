package dev.gopo.tasks.reward;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Simulated pairwise preference data: for each prompt, pairs of distinct candidates (see
 * {@link CandidateGenerator}) labelled by a noisy Bradley-Terry rater that looks at the hidden
 * gold quality:
 * <pre>
 * P(a preferred over b) = sigmoid((q(a) - q(b)) / tau)
 * </pre>
 * This is how the reward model learns an ordering without ever seeing a quality value, the
 * position a reward model trained on human comparisons is in.
 */
public final class PreferenceSampler {

    /** Redraws allowed when the two candidates are the same string. */
    private static final int MAX_REDRAWS = 20;

    private final Task task;
    private final PreferenceConfig config;

    public PreferenceSampler(Task task, PreferenceConfig config) {
        this.task = task;
        this.config = config;
    }

    /** {@code pairsPerPrompt} labelled pairs per prompt, deterministic in the config seed and prompt order. */
    public List<PreferencePair> sample(List<TaskPrompt> prompts) {
        SplittableRandom random = new SplittableRandom(config.seed());
        CandidateGenerator candidates = new CandidateGenerator(task);
        List<PreferencePair> pairs = new ArrayList<>(prompts.size() * config.pairsPerPrompt());
        for (TaskPrompt p : prompts) {
            for (int i = 0; i < config.pairsPerPrompt(); i++) {
                String a = candidates.sample(p.text(), random);
                String b = candidates.sample(p.text(), random);
                for (int r = 0; r < MAX_REDRAWS && a.equals(b); r++) {
                    b = candidates.sample(p.text(), random);
                }
                double qa = task.goldQuality(p.text(), a);
                double qb = task.goldQuality(p.text(), b);
                double pA = 1.0 / (1.0 + Math.exp(-(qa - qb) / config.temperature()));
                pairs.add(random.nextDouble() < pA
                        ? new PreferencePair(p.text(), a, b, qa, qb)
                        : new PreferencePair(p.text(), b, a, qb, qa));
            }
        }
        return Collections.unmodifiableList(pairs);
    }
}
