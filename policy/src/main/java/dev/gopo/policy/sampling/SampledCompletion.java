package dev.gopo.policy.sampling;

import java.util.Arrays;

/**
 * One sampled completion.
 *
 * @param tokens   completion token ids (prompt excluded); ends with EOS when {@link #endedWithEos()}
 * @param logProbs per token, the log-prob under the distribution the token was drawn from:
 *                 {@code log_softmax(logits / temperature)[token]}, renormalised over the kept set
 *                 ({@code - log(kept mass)}) when top-k/top-p truncated the draw. This is the
 *                 behaviour probability the learner's importance ratio {@code exp(logp_theta - logp_old)}
 *                 must divide by (see the policy README, "Temperature and log-prob convention")
 */
public record SampledCompletion(int[] tokens, float[] logProbs, boolean endedWithEos) {

    public SampledCompletion {
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + logProbs.length + " log-probs");
        }
        tokens = tokens.clone();
        logProbs = logProbs.clone();
    }

    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    @Override
    public float[] logProbs() {
        return logProbs.clone();
    }

    /** Number of completion tokens. */
    public int length() {
        return tokens.length;
    }

    /** Sum of the per-token log-probs: the completion's log-likelihood. */
    public double totalLogProb() {
        double sum = 0;
        for (float lp : logProbs) {
            sum += lp;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SampledCompletion c && c.endedWithEos == endedWithEos
                && Arrays.equals(c.tokens, tokens) && Arrays.equals(c.logProbs, logProbs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs) + (endedWithEos ? 1 : 0);
    }

    @Override
    public String toString() {
        return "SampledCompletion[tokens=" + Arrays.toString(tokens) + ", totalLogProb=" + totalLogProb()
                + ", endedWithEos=" + endedWithEos + "]";
    }
}
