package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gopo.policy.model.Scalars;

import java.util.Collection;

/**
 * Global gradient-norm clipping across all parameters:
 * <pre>
 * n = sqrt(sum_p ||g_p||^2);   if n > maxNorm:  g_p <- g_p * maxNorm / (n + 1e-6)
 * </pre>
 */
public final class GradientClipping {

    private GradientClipping() {}

    /**
     * Scales {@code gradients} in place so their global norm is at most {@code maxNorm}.
     *
     * @return the global norm before clipping (reported as {@code grad/norm}); may be non-finite,
     *     in which case nothing is scaled and the caller must not apply the update
     */
    public static double clipGlobalNorm(Collection<NDArray> gradients, double maxNorm) {
        double sumSquares = 0;
        for (NDArray g : gradients) {
            sumSquares += g.square().sum().getFloat();
        }
        double norm = Math.sqrt(sumSquares);
        if (Double.isFinite(norm) && norm > maxNorm) {
            float scale = (float) (maxNorm / (norm + 1e-6));
            // Outside autograd, so a (Number) scalar would be harmless here; the one rule (Scalars) still holds.
            try (NDManager owner = gradients.iterator().next().getManager().newSubManager()) {
                NDArray s = Scalars.of(owner, scale);
                for (NDArray g : gradients) {
                    g.muli(s);
                }
            }
        }
        return norm;
    }
}
