package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.gopo.policy.model.Scalars;

import java.util.Collection;

/**
 * Global gradient-norm clipping across all parameters:
 * <pre>
 * n = sqrt(sum_p ||g_p||^2);   if n > maxNorm:  g_p <- g_p * maxNorm / (n + 1e-6)
 * </pre>
 * The squares and sums are taken in float64 (each gradient converted, then squared and summed)
 * and accumulated across parameters in a Java {@code double}.
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
            // In double from the first square on: a float32 sum of ~1e6 squares loses digits and
            // overflows at 3.4e38, where a large but finite gradient would look non-finite.
            sumSquares += g.toType(DataType.FLOAT64, false).square().sum().getDouble();
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
