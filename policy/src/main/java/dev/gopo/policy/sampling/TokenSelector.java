package dev.gopo.policy.sampling;

import java.util.SplittableRandom;

/**
 * Draws one token id from a row of log-probs by inverse CDF on the CPU (DJL's
 * {@code randomMultinomial} is not supported by the PyTorch engine), optionally restricted to
 * the top-k and/or top-p (nucleus) set, and reports the log-prob of the token under the
 * distribution actually drawn from.
 *
 * <p>With a kept set {@code K} (top-k, then top-p on the tempered probabilities {@code p}), the
 * draw is from the renormalised {@code q(t) = p(t) / sum_{j in K} p(j)} for {@code t in K}, so the
 * behaviour log-prob is {@code log q(t) = log p(t) - log sum_{j in K} p(j)}. Without truncation
 * {@code q = p} and the row's log-prob is returned unchanged.
 */
final class TokenSelector {

    /**
     * The drawn token and its log-prob under the distribution it was drawn from.
     *
     * @param token   token id
     * @param logProb {@code log q(token)}: the tempered log-prob renormalised over the kept set
     */
    record Selection(int token, float logProb) {}

    private final int topK;
    private final double topP;

    TokenSelector(SamplingConfig config) {
        this.topK = config.topK();
        this.topP = config.topP();
    }

    /**
     * @param logProbs flat {@code (rows, vocab)} log-probs
     * @param row      which row to draw from
     * @param vocab    row width
     * @param random   the row's random stream; exactly one {@code nextDouble()} is consumed
     */
    Selection select(float[] logProbs, int row, int vocab, SplittableRandom random) {
        int offset = row * vocab;
        double u = random.nextDouble();
        if (topK == 0 && topP >= 1.0) {
            int token = inverseCdf(logProbs, offset, identity(vocab), vocab, u);
            return new Selection(token, logProbs[offset + token]);
        }
        Integer[] order = new Integer[vocab];
        for (int i = 0; i < vocab; i++) {
            order[i] = i;
        }
        // Most likely first; ties broken by id so the result does not depend on sort stability.
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Float.compare(logProbs[offset + b], logProbs[offset + a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        int keep = topK > 0 ? Math.min(topK, vocab) : vocab;
        if (topP < 1.0) {
            double cumulative = 0;
            int nucleus = 0;
            while (nucleus < keep) {
                cumulative += Math.exp(logProbs[offset + order[nucleus]]);
                nucleus++;
                if (cumulative >= topP) {
                    break;
                }
            }
            keep = nucleus;
        }
        int[] kept = new int[keep];
        double keptMass = 0;
        for (int i = 0; i < keep; i++) {
            kept[i] = order[i];
            keptMass += Math.exp(logProbs[offset + kept[i]]);
        }
        int token = inverseCdf(logProbs, offset, kept, keep, u);
        // log q(t) = log p(t) - log(kept mass), in double: the mass may be far below 1 with a small top-k
        return new Selection(token, (float) (logProbs[offset + token] - Math.log(keptMass)));
    }

    /** Smallest candidate whose cumulative (renormalised) probability exceeds {@code u}. */
    private static int inverseCdf(float[] logProbs, int offset, int[] candidates, int count, double u) {
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += Math.exp(logProbs[offset + candidates[i]]);
        }
        double threshold = u * total;
        double cumulative = 0;
        for (int i = 0; i < count; i++) {
            cumulative += Math.exp(logProbs[offset + candidates[i]]);
            if (cumulative > threshold) {
                return candidates[i];
            }
        }
        // Rounding left the threshold just above the sum: take the last candidate with mass.
        for (int i = count - 1; i >= 0; i--) {
            if (logProbs[offset + candidates[i]] > Float.NEGATIVE_INFINITY) {
                return candidates[i];
            }
        }
        return candidates[count - 1];
    }

    private static int[] identity(int n) {
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
        }
        return ids;
    }
}
