package dev.gopo.policy.bench;

import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.sampling.SampledCompletion;
import dev.gopo.policy.sampling.Sampler;
import dev.gopo.policy.sampling.SamplingConfig;

import java.util.List;

/**
 * Sampling throughput of the {@link PolicyConfig#small()} model with the KV cache versus
 * recomputing the full prefix at every step, for a single completion and for a group of 8.
 * Both paths draw the same tokens (same seeds), so they generate the same number of tokens.
 *
 * <p>Arguments (optional): {@code rounds} (default 3), {@code maxNewTokens} (default: the rest of
 * the 128-token context after the 17-token prompt, 111).
 */
public final class SamplingBenchmark {

    private SamplingBenchmark() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Tokenizer tokenizer = Tokenizer.ascii();
        int[] prompt = tokenizer.encodePrompt("Summarise: cats"); // 17 tokens with BOS and SEP
        int maxNewTokens = args.length > 1 ? Integer.parseInt(args[1])
                : PolicyConfig.small().maxSeqLen() - prompt.length;
        Sampler sampler = new Sampler();
        try (PolicyModel model = PolicyModel.create(PolicyConfig.small(), tokenizer)) {
            System.out.printf("model small: %,d parameters, device %s, prompt %d tokens, maxNewTokens %d%n",
                    model.parameterCount(), model.device(), prompt.length, maxNewTokens);
            for (int groupSize : new int[] {1, 8}) {
                SamplingConfig config = SamplingConfig.defaults(maxNewTokens, 0);
                run(sampler, model, prompt, groupSize, config, true, 1); // warm-up
                run(sampler, model, prompt, groupSize, config, false, 1);
                double[] cached = run(sampler, model, prompt, groupSize, config, true, rounds);
                double[] full = run(sampler, model, prompt, groupSize, config, false, rounds);
                double cachedRate = cached[0] / cached[1];
                double fullRate = full[0] / full[1];
                System.out.printf("G=%d  kv-cache: %8.0f tokens/s  recompute: %8.0f tokens/s  speed-up x%.1f"
                                + "  (%d tokens per path)%n",
                        groupSize, cachedRate, fullRate, cachedRate / fullRate, (long) cached[0]);
            }
        }
    }

    /** Returns {tokens generated, seconds}. */
    private static double[] run(Sampler sampler, PolicyModel model, int[] prompt, int groupSize,
                                SamplingConfig config, boolean cache, int rounds) {
        long tokens = 0;
        long started = System.nanoTime();
        for (int r = 0; r < rounds; r++) {
            SamplingConfig seeded = config.withSeed(1000 + r);
            List<SampledCompletion> group = cache
                    ? sampler.sampleGroup(model, prompt, groupSize, seeded)
                    : sampler.sampleGroupWithoutCache(model, prompt, groupSize, seeded);
            for (SampledCompletion c : group) {
                tokens += c.length();
            }
        }
        return new double[] {tokens, (System.nanoTime() - started) / 1e9};
    }
}
