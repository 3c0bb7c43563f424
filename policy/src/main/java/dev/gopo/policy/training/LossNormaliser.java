package dev.gopo.policy.training;

/**
 * What the summed per-token loss of a step is divided by before backward.
 *
 * <pre>
 * loss = sum_{i,t} mask_{i,t} * (L_clip + beta * KL)_{i,t} / D
 *
 * TOKEN_MEAN:  D = sum_{i,t} mask_{i,t}                   real completion tokens of the batch
 * CONSTANT:    D = maxCompletionTokens * G                G = completions (rows) in the batch
 * </pre>
 *
 * {@link Mode#TOKEN_MEAN} is token-level averaging over the batch (as in DAPO): a batch of short
 * completions gets the same total weight as one of long completions, so each token of a short
 * completion weighs more. {@link Mode#CONSTANT} is Dr. GRPO's normalisation (Liu et al.,
 * "Understanding R1-Zero-Like Training: A Critical Perspective", arXiv 2503.20783): dividing by a
 * constant (the generation budget times the number of completions) gives every token the same
 * weight whatever the lengths in the batch, which removes the length bias of per-length
 * normalisation (long wrong answers no longer get a smaller per-token penalty). With CONSTANT the
 * loss scale, and so the gradient, shrinks when completions are shorter than the budget.
 *
 * <p>Use {@link #tokenMean()} or {@link #constant(int)}; the record's components are for
 * logging and comparison.
 *
 * @param mode                which denominator
 * @param maxCompletionTokens the generation budget (the generator's {@code maxNewTokens}, EOS
 *                            included) for {@link Mode#CONSTANT}; 0 for {@link Mode#TOKEN_MEAN}
 */
public record LossNormaliser(Mode mode, int maxCompletionTokens) {

    /** The two normalisations; see {@link LossNormaliser}. */
    public enum Mode {
        /** Divide by the batch's real completion-token count. */
        TOKEN_MEAN,
        /** Divide by {@code maxCompletionTokens * number of completions} (Dr. GRPO). */
        CONSTANT
    }

    private static final LossNormaliser TOKEN_MEAN = new LossNormaliser(Mode.TOKEN_MEAN, 0);

    public LossNormaliser {
        if (mode == null) {
            throw new IllegalArgumentException("mode is null: use LossNormaliser.tokenMean() or LossNormaliser.constant(n)");
        }
        if (mode == Mode.TOKEN_MEAN && maxCompletionTokens != 0) {
            throw new IllegalArgumentException("TOKEN_MEAN takes no maxCompletionTokens (got " + maxCompletionTokens
                    + "): use LossNormaliser.tokenMean()");
        }
        if (mode == Mode.CONSTANT && maxCompletionTokens < 1) {
            throw new IllegalArgumentException("maxCompletionTokens must be >= 1 for CONSTANT, got " + maxCompletionTokens
                    + ": pass the generator's maxNewTokens (the most tokens a completion can have, EOS included)");
        }
    }

    /** Divide by the batch's real completion-token count (this project's default). */
    public static LossNormaliser tokenMean() {
        return TOKEN_MEAN;
    }

    /**
     * Dr. GRPO: divide by {@code maxCompletionTokens} times the number of completions in the batch.
     *
     * @param maxCompletionTokens the generation budget, the generator's {@code maxNewTokens}; >= 1
     */
    public static LossNormaliser constant(int maxCompletionTokens) {
        return new LossNormaliser(Mode.CONSTANT, maxCompletionTokens);
    }

    /**
     * The denominator {@code D} for a batch.
     *
     * @param realTokens  completion tokens in the batch (the mask's sum), >= 1
     * @param completions completions (rows) in the batch, >= 1
     */
    public double denominator(long realTokens, int completions) {
        if (realTokens < 1 || completions < 1) {
            throw new IllegalArgumentException("a batch needs at least one completion token, got " + realTokens
                    + " tokens in " + completions + " completions");
        }
        return switch (mode) {
            case TOKEN_MEAN -> realTokens;
            case CONSTANT -> (double) maxCompletionTokens * completions;
        };
    }

    /**
     * Checks that a completion of {@code tokens} tokens fits the budget of {@link Mode#CONSTANT}
     * (always true for {@link Mode#TOKEN_MEAN}).
     *
     * @throws IllegalArgumentException when it is longer than {@code maxCompletionTokens}: the
     *     budget given to {@link #constant(int)} is not the generator's
     */
    public void requireFits(int tokens, int completionIndex) {
        if (mode == Mode.CONSTANT && tokens > maxCompletionTokens) {
            throw new IllegalArgumentException("completion " + completionIndex + " has " + tokens
                    + " tokens, more than maxCompletionTokens " + maxCompletionTokens + " of LossNormaliser.constant: "
                    + "pass the generator's maxNewTokens (EOS included)");
        }
    }
}
