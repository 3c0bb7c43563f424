package dev.gopo.tasks.warmstart;

import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SampledCompletion;
import dev.gopo.policy.sampling.Sampler;
import dev.gopo.policy.sampling.SamplingConfig;

import java.util.ArrayList;
import java.util.List;

/** Completion texts of a policy for a list of prompts: what the judge and the reward model read. */
public final class PolicyCompletions {

    private static final Sampler SAMPLER = new Sampler();

    private PolicyCompletions() {}

    /**
     * The completion length for {@code prompts}: {@code maxNewTokens}, clamped so that the longest prompt still fits the
     * model's context.
     *
     * @throws IllegalArgumentException when the longest prompt leaves no room at all
     */
    public static int room(PolicyModel policy, List<String> prompts, int maxNewTokens) {
        int longest = prompts.stream().mapToInt(p -> policy.tokenizer().encodePrompt(p).length).max().orElse(0);
        int room = Math.min(maxNewTokens, policy.config().maxSeqLen() - longest);
        if (room < 1) {
            throw new IllegalArgumentException("the longest prompt has " + longest + " tokens and leaves no room in the model's context of "
                    + policy.config().maxSeqLen());
        }
        return room;
    }

    /**
     * One sampled completion per prompt, decoded up to EOS. Prompt {@code i} is sampled with seed
     * {@code config.seed() + i}, so the result is repeatable and independent of list order elsewhere.
     */
    public static List<String> sample(PolicyModel policy, List<String> prompts, SamplingConfig config) {
        List<String> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = policy.tokenizer().encodePrompt(prompts.get(i));
            SampledCompletion c = SAMPLER.sample(policy, prompt, config.withSeed(config.seed() + i));
            out.add(policy.tokenizer().decode(c.tokens()));
        }
        return out;
    }

    /**
     * A group of {@code groupSize} sampled completions per prompt (as a generator samples them),
     * decoded up to EOS; prompt {@code i} uses seed {@code config.seed() + i}.
     */
    public static List<List<String>> sampleGroups(PolicyModel policy, List<String> prompts, int groupSize,
                                                  SamplingConfig config) {
        List<List<String>> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = policy.tokenizer().encodePrompt(prompts.get(i));
            List<String> group = new ArrayList<>(groupSize);
            for (SampledCompletion c : SAMPLER.sampleGroup(policy, prompt, groupSize, config.withSeed(config.seed() + i))) {
                group.add(policy.tokenizer().decode(c.tokens()));
            }
            out.add(group);
        }
        return out;
    }
}
