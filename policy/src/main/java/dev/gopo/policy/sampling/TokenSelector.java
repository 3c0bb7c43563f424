package dev.gopo.policy.sampling;

import java.util.SplittableRandom;

/**
 * Draws one token id from a row of log-probs by inverse CDF on the CPU (DJL's
 * {@code randomMultinomial} is not supported by the PyTorch engine), optionally restricted to
 * the top-k and/or top-p (nucleus) set. Only the draw is truncated: the caller records the
 * untruncated log-prob of the chosen id.
 */
final class TokenSelector {

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
    int select(float[] logProbs, int row, int vocab, SplittableRandom random) {
        int offset = row * vocab;
        double u = random.nextDouble();
        if (topK == 0 && topP >= 1.0) {
            return inverseCdf(logProbs, offset, identity(vocab), vocab, u);
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
        for (int i = 0; i < keep; i++) {
            kept[i] = order[i];
        }
        return inverseCdf(logProbs, offset, kept, keep, u);
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
