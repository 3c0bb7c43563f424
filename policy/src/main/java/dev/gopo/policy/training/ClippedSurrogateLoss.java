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
 * ratio_{i,t}  = exp(logp_{i,t} - oldLogp_{i,t})              (oldLogp = behaviour log-prob)
 * L_clip_{i,t} = -min(ratio * A_i, clip(ratio, 1 - epsLow, 1 + epsHigh) * A_i)
 * KL_{i,t}     = exp(ref - logp) - (ref - logp) - 1             (k3 estimator, >= 0)
 * loss         = sum_{i,t} mask * (L_clip + beta * KL) / sum_{i,t} mask
 * </pre>
 * The average is over all real tokens of the batch (token-level averaging), so long completions
 * weigh more than short ones, as in the reference code. Masked positions (prompt, padding) are
 * neutralised before any {@code exp}, so arbitrary values there can neither overflow nor leak
 * gradient.
 */
public final class ClippedSurrogateLoss {

    private final LossConfig config;

    public ClippedSurrogateLoss(LossConfig config) {
        this.config = config;
    }

    /**
     * @param logp       {@code (B, T)} log-probs of the current policy (carries the gradient)
     * @param oldLogp    {@code (B, T)} behaviour log-probs recorded by the generator
     * @param refLogp    {@code (B, T)} log-probs of the frozen reference policy
     * @param advantages {@code (B)} one advantage per completion
     * @param mask       {@code (B, T)} 1 for completion tokens, 0 elsewhere
     * @throws IllegalArgumentException on mismatched shapes or an all-zero mask
     */
    public LossTerms compute(NDArray logp, NDArray oldLogp, NDArray refLogp, NDArray advantages, NDArray mask) {
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
        NDArray a = advantages.toType(DataType.FLOAT32, false).expandDims(1);          // (B, 1)
        // Every scalar is an array in logp's manager (the step's), open until after backward: see Scalars.
        NDManager owner = logp.getManager();

        NDArray ratio = logp.sub(oldLogp).mul(m).exp();                                // (B, T), 1 where masked
        NDArray unclipped = ratio.mul(a);                                              // (B, T)
        NDArray clipped = Scalars.clip(ratio, (float) (1 - config.epsLow()), (float) (1 + config.epsHigh()), owner)
                .mul(a);                                                               // (B, T)
        NDArray clipLoss = unclipped.minimum(clipped).neg();                           // (B, T)

        NDArray delta = refLogp.sub(logp).mul(m);                                      // (B, T), 0 where masked
        NDArray kl = Scalars.sub(delta.exp().sub(delta), 1f, owner);                   // (B, T)

        NDArray perToken = clipLoss.add(Scalars.mul(kl, (float) config.beta(), owner)); // (B, T)
        NDArray loss = Scalars.div(perToken.mul(m).sum(), tokens, owner);              // ()

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
