package dev.gopo.policy.sampling;

/**
 * How completions are sampled.
 *
 * @param temperature   softmax temperature, > 0; the learner must train at the same value
 * @param topK          keep only the k most likely tokens; 0 turns the filter off
 * @param topP          keep the smallest set of most likely tokens whose probability reaches p
 *                      (nucleus sampling); 1.0 turns the filter off
 * @param maxNewTokens  completion length limit (EOS included); prompt + this must fit the context
 * @param seed          seed of the sampling random streams; the same seed, weights and prompt give
 *                      the same completions
 */
public record SamplingConfig(double temperature, int topK, double topP, int maxNewTokens, long seed) {

    public SamplingConfig {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature
                    + " (use 1.0 to sample from the model's distribution)");
        }
        if (topK < 0) {
            throw new IllegalArgumentException("topK must be >= 0, got " + topK + " (0 turns top-k off)");
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP + " (1.0 turns top-p off)");
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be >= 1, got " + maxNewTokens);
        }
    }

    /** Plain sampling from the full distribution at temperature 1, as in the paper's runs. */
    public static SamplingConfig defaults(int maxNewTokens, long seed) {
        return new SamplingConfig(1.0, 0, 1.0, maxNewTokens, seed);
    }

    /** A copy with another seed (one per group, so groups differ but stay repeatable). */
    public SamplingConfig withSeed(long newSeed) {
        return new SamplingConfig(temperature, topK, topP, maxNewTokens, newSeed);
    }

    /** True when top-k or top-p truncates the distribution that tokens are drawn from. */
    public boolean truncates() {
        return topK > 0 || topP < 1.0;
    }
}
