package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.model.Scalars;

/**
 * Token-level clipped surrogate loss with a k3 KL penalty, shared by GOPO
 * (Choi et al., "Group Ordinal Policy Optimization", arXiv 2602.03876) and GRPO
 * (Shao et al., DeepSeekMath, arXiv 2402.03300); the two differ only in the advantage {@code A_i}.
 *
 * <p>For completion {@code i} and each of its tokens {@code t}:
 * <pre>
 * ratio_{i,t}  = exp(clamp(logp_{i,t} - oldLogp_{i,t}, -20, 20))   (oldLogp = behaviour log-prob)
 * L_clip_{i,t} = -min(ratio * A_i, clip(ratio, 1 - epsLow, 1 + epsHigh) * A_i)
 * KL_{i,t}     = exp(ref - logp) - (ref - logp) - 1             (k3 estimator, >= 0)
 * loss         = sum_{i,t} mask * (L_clip + beta * KL) / D
 * </pre>
 * {@code D} comes from the {@link LossNormaliser}: the batch's real-token count (token-level
 * averaging, the default, so long completions weigh more than short ones) or Dr. GRPO's constant
 * {@code maxCompletionTokens * G}. Masked positions (prompt, padding) are neutralised before any
 * {@code exp}, so arbitrary values there can neither overflow nor leak gradient.
 *
 * <p>The clamp of the log-ratio to {@link #MAX_LOG_RATIO} = 20 ({@code ratio} in
 * [2.1e-9, 4.9e8]) keeps {@code exp} finite: a log-ratio of 89 or more (a behaviour log-prob far
 * below the policy's, e.g. -200 from a broken producer) would make the ratio +inf and the whole
 * step NaN. Such a token is far outside the trust region: with {@code A > 0} above
 * {@code 1 + epsHigh} or {@code A < 0} below {@code 1 - epsLow} its term is clipped and has no
 * gradient anyway, and below {@code e^-20} its gradient {@code ratio * A} is below 2.1e-9 |A|. The
 * one case the clamp changes is {@code A < 0} with a ratio above {@code e^20}, where PPO's
 * pessimistic (unclipped) term would pass a gradient of over 4.9e8 |A| for that single token:
 * beyond the bound the token adds a finite value and no ratio gradient, and the other tokens of the
 * step train normally.
 *
 * <p>Every scalar (clip bounds, beta, the denominator) is an array in {@code logp}'s manager, which
 * must stay open until after backward (see {@link Scalars}); in the trainer that is the step's manager.
 */
public final class ClippedSurrogateLoss {

    /** Bound on {@code |logp - oldLogp|} before {@code exp}; see the class documentation. */
    public static final float MAX_LOG_RATIO = 20f;

    private final LossConfig config;

    public ClippedSurrogateLoss(LossConfig config) {
        this.config = config;
    }

    /** {@link #compute(NDArray, NDArray, NDArray, NDArray, NDArray, LossNormaliser)} with the token mean. */
    public LossTerms compute(NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask) {
        return compute(logp, oldLogp, refLogp, advantages, mask, LossNormaliser.tokenMean());
    }

    /**
     * @param logp       {@code (B, T)} log-probs of the current policy (carries the gradient)
     * @param oldLogp    {@code (B, T)} behaviour log-probs recorded by the generator
     * @param refLogp    {@code (B, T)} log-probs of the frozen reference policy
     * @param advantages {@code (B)} one advantage per completion
     * @param mask       {@code (B, T)} 1 for completion tokens, 0 elsewhere
     * @param normaliser the denominator {@code D} of the loss; the metrics stay token means either way
     * @throws IllegalArgumentException on mismatched shapes or an all-zero mask
     */
    public LossTerms compute(NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask,
                             LossNormaliser normaliser) {
        Shape shape = logp.getShape();
        requireShape("oldLogp", oldLogp, shape);
        requireShape("refLogp", refLogp, shape);
        requireShape("mask", mask, shape);
        if (shape.dimension() != 2 || !advantages.getShape().equals(new Shape(shape.get(0)))) {
            throw new IllegalArgumentException("advantages must be (B) = (" + shape.get(0) + ") for logp "
                    + shape + ", got " + advantages.getShape());
        }
        NDArray m = mask.toType(DataType.FLOAT32, false);                               // (B, T)
        float tokens = m.sum().getFloat();
        if (tokens <= 0) {
            throw new IllegalArgumentException("mask selects no token: a batch needs at least one completion token");
        }
        float denominator = (float) normaliser.denominator(Math.round(tokens), (int) shape.get(0));
        NDArray a = advantages.toType(DataType.FLOAT32, false).expandDims(1);          // (B, 1)
        NDManager owner = logp.getManager();

        NDArray logRatio = Scalars.clip(logp.sub(oldLogp), -MAX_LOG_RATIO, MAX_LOG_RATIO, owner)
                .mul(m);                                                               // (B, T), 0 where masked
        NDArray ratio = logRatio.exp();                                                // (B, T), 1 where masked
        NDArray unclipped = ratio.mul(a);                                              // (B, T)
        NDArray clipped = Scalars.clip(ratio, (float) (1 - config.epsLow()), (float) (1 + config.epsHigh()), owner)
                .mul(a);                                                               // (B, T)
        NDArray clipLoss = unclipped.minimum(clipped).neg();                           // (B, T)

        NDArray delta = refLogp.sub(logp).mul(m);                                      // (B, T), 0 where masked
        NDArray kl = Scalars.sub(delta.exp().sub(delta), 1f, owner);                   // (B, T)

        NDArray perToken = clipLoss.add(Scalars.mul(kl, (float) config.beta(), owner)); // (B, T)
        NDArray loss = Scalars.div(perToken.mul(m).sum(), denominator, owner);         // ()

        float policyLoss = clipLoss.mul(m).sum().getFloat() / tokens;
        float klMean = kl.mul(m).sum().getFloat() / tokens;
        float ratioMean = ratio.mul(m).sum().getFloat() / tokens;
        float clipFraction = clipped.lt(unclipped).toType(DataType.FLOAT32, false).mul(m).sum().getFloat() / tokens;
        return new LossTerms(loss, policyLoss, klMean, ratioMean, clipFraction, Math.round(tokens));
    }

    private static void requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException(name + " has shape " + array.getShape() + " but logp has " + expected);
        }
    }
}
