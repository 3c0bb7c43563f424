package dev.gopo.policy.training;

/**
 * Settings of the clipped surrogate loss with KL penalty.
 *
 * @param epsLow  lower clip range: the ratio is clipped at {@code 1 - epsLow}; in [0, 1)
 * @param epsHigh upper clip range: the ratio is clipped at {@code 1 + epsHigh}; >= 0
 *                (set it above epsLow for DAPO-style "clip-higher")
 * @param beta    weight of the k3 KL penalty to the frozen reference policy; >= 0 (0 disables it)
 */
public record LossConfig(double epsLow, double epsHigh, double beta) {

    public LossConfig {
        if (!(epsLow >= 0 && epsLow < 1)) {
            throw new IllegalArgumentException("epsLow must be in [0, 1), got " + epsLow
                    + " (the paper uses 0.2; 1 or more would let the clipped ratio reach 0)");
        }
        if (!(epsHigh >= 0) || Double.isInfinite(epsHigh)) {
            throw new IllegalArgumentException("epsHigh must be a finite number >= 0, got " + epsHigh
                    + " (the paper uses 0.2)");
        }
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be a finite number >= 0, got " + beta
                    + " (the paper uses 0.04; 0 disables the KL penalty)");
        }
    }

    /** The paper's reference settings: eps = 0.2 both ways, beta = 0.04. */
    public static LossConfig paperDefaults() {
        return new LossConfig(0.2, 0.2, 0.04);
    }
}
