package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;

/**
 * The result of {@link ClippedSurrogateLoss#compute}.
 *
 * @param loss         scalar NDArray {@code sum mask * (L_clip + beta * KL) / D} ({@link LossNormaliser}),
 *                     differentiable: call backward on it; equals {@code policyLoss + beta * kl} with the token mean
 * @param policyLoss   token mean of {@code L_clip}
 * @param kl           token mean of the k3 KL estimate (before multiplying by beta)
 * @param ratioMean    token mean of {@code ratio = exp(logp - oldLogp)}
 * @param clipFraction fraction of real tokens where the clipped term is selected and differs
 * @param tokens       number of real (mask = 1) tokens averaged over
 */
public record LossTerms(NDArray loss, float policyLoss, float kl, float ratioMean, float clipFraction, int tokens) {

    /** The total loss as a float. */
    public float lossValue() {
        return loss.getFloat();
    }
}
