package dev.gopo.tasks.reward;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
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
 *
 * <p>With {@link PolicySamples}, a share {@code onPolicyShare} of each prompt's pairs compares two
 * distinct completions of one group sampled from the policy: exactly the distinctions the reward
 * model must get right when it ranks a generator's group during RL. Without them, a reward model
 * that ranks edited references well can still rank the policy's own mistakes badly (measured:
 * 0.62 pairwise agreement with gold on the reference policy's groups for {@code constrained}).
 */
public final class PreferenceSampler {

    /** Redraws allowed when the two candidates are the same string. */
    private static final int MAX_REDRAWS = 20;

    private final Task task;
    private final PreferenceConfig config;
    private final PolicySamples policySamples;
    private final double onPolicyShare;

    public PreferenceSampler(Task task, PreferenceConfig config) {
        this(task, config, null, 0.0);
    }

    /**
     * @param policySamples groups of policy completions, or null for constructed candidates only
     * @param onPolicyShare share of each prompt's pairs drawn from one policy group, in [0, 1]
     */
    public PreferenceSampler(Task task, PreferenceConfig config, PolicySamples policySamples, double onPolicyShare) {
        if (!(onPolicyShare >= 0 && onPolicyShare <= 1)) {
            throw new IllegalArgumentException("onPolicyShare must be in [0, 1], got " + onPolicyShare);
        }
        this.task = task;
        this.config = config;
        this.policySamples = policySamples;
        this.onPolicyShare = policySamples == null ? 0.0 : onPolicyShare;
    }

    /** {@code pairsPerPrompt} labelled pairs per prompt, deterministic in the config seed and prompt order. */
    public List<PreferencePair> sample(List<TaskPrompt> prompts) {
        SplittableRandom random = new SplittableRandom(config.seed());
        CandidateGenerator candidates = new CandidateGenerator(task);
        List<PreferencePair> pairs = new ArrayList<>(prompts.size() * config.pairsPerPrompt());
        int promptIndex = 0;
        for (TaskPrompt p : prompts) {
            List<String> group = onPolicyShare > 0
                    ? List.copyOf(new LinkedHashSet<>(policySamples.group(p.text(), config.seed() * 7_919 + promptIndex)))
                    : List.of();
            promptIndex++;
            for (int i = 0; i < config.pairsPerPrompt(); i++) {
                String a;
                String b;
                if (group.size() >= 2 && random.nextDouble() < onPolicyShare) {
                    int x = random.nextInt(group.size());
                    int y = random.nextInt(group.size() - 1);
                    a = group.get(x);
                    b = group.get(y >= x ? y + 1 : y);
                } else {
                    a = candidates.sample(p.text(), random);
                    b = candidates.sample(p.text(), random);
                }
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
