package dev.gopo.policy.training;

import java.util.Arrays;

/**
 * One completion to learn from.
 *
 * @param promptTokens       the prompt as sampled (non-empty, usually BOS ... SEP)
 * @param completionTokens   the sampled completion (non-empty, EOS included if it was sampled)
 * @param behaviourLogProbs  per completion token, the log-prob recorded by the generator at
 *                           sampling time ({@code logp_old} of the ratio); same length as the completion
 * @param advantage          the completion's advantage {@code A_i}, the same for all its tokens
 */
public record TrainingSequence(int[] promptTokens, int[] completionTokens, float[] behaviourLogProbs,
                               double advantage) {

    public TrainingSequence {
        if (promptTokens == null || promptTokens.length == 0) {
            throw new IllegalArgumentException("promptTokens is empty: the first completion token needs a context");
        }
        if (completionTokens == null || completionTokens.length == 0) {
            throw new IllegalArgumentException("completionTokens is empty: there is nothing to learn from");
        }
        if (behaviourLogProbs == null || behaviourLogProbs.length != completionTokens.length) {
            throw new IllegalArgumentException("behaviourLogProbs has "
                    + (behaviourLogProbs == null ? "no" : String.valueOf(behaviourLogProbs.length))
                    + " values for " + completionTokens.length + " completion tokens: they must match one to one");
        }
        for (int i = 0; i < behaviourLogProbs.length; i++) {
            float lp = behaviourLogProbs[i];
            if (Float.isNaN(lp) || lp > 1e-3f || lp == Float.NEGATIVE_INFINITY) {
                throw new IllegalArgumentException("behaviourLogProbs[" + i + "] = " + lp
                        + " is not a log-probability (finite and <= 0)");
            }
        }
        if (!Double.isFinite(advantage)) {
            throw new IllegalArgumentException("advantage must be finite, got " + advantage);
        }
        promptTokens = promptTokens.clone();
        completionTokens = completionTokens.clone();
        behaviourLogProbs = behaviourLogProbs.clone();
    }

    @Override
    public int[] promptTokens() {
        return promptTokens.clone();
    }

    @Override
    public int[] completionTokens() {
        return completionTokens.clone();
    }

    @Override
    public float[] behaviourLogProbs() {
        return behaviourLogProbs.clone();
    }

    /** Prompt plus completion length. */
    public int length() {
        return promptTokens.length + completionTokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrainingSequence s && Double.compare(s.advantage, advantage) == 0
                && Arrays.equals(s.promptTokens, promptTokens) && Arrays.equals(s.completionTokens, completionTokens)
                && Arrays.equals(s.behaviourLogProbs, behaviourLogProbs);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(promptTokens) * 31 + Arrays.hashCode(completionTokens) + Double.hashCode(advantage);
    }

    @Override
    public String toString() {
        return "TrainingSequence[prompt=" + promptTokens.length + " tokens, completion=" + completionTokens.length
                + " tokens, advantage=" + advantage + "]";
    }
}
