package dev.gopo.ranker.advantage;

/**
 * GRPO group-normalised advantage (Shao et al., DeepSeekMath, arXiv 2402.03300):
 *
 * <pre>
 *   A_i = (r_i - mean(r)) / (std(r) + eps)
 * </pre>
 *
 * with the <b>population</b> standard deviation {@code std = sqrt(sum (r_j - mean)^2 / G)}.
 * Note: TRL's {@code GRPOTrainer} uses {@code torch.std}, the sample (Bessel-corrected, divide by
 * {@code G - 1}) deviation, which makes its advantages smaller by {@code sqrt((G-1)/G)} (0.935 for
 * G = 8) when {@code eps} is negligible. {@code eps} (default 1e-4, as in TRL) keeps an all-equal
 * group at 0 instead of 0/0.
 *
 * <p>Unlike GOPO, GRPO uses reward magnitudes: a non-affine monotone transform of the rewards
 * changes the advantages. Ranks are reported as average ranks (informational; they do not enter the
 * formula). {@code G = 1}: advantage 0.
 */
public final class GrpoEstimator implements AdvantageEstimator {
    private final double eps;

    /** @param eps added to the standard deviation, finite and {@code >= 0} */
    public GrpoEstimator(double eps) {
        if (!(eps >= 0) || !Double.isFinite(eps)) {
            throw new IllegalArgumentException("GRPO eps must be finite and >= 0, got " + eps);
        }
        this.eps = eps;
    }

    @Override
    public GroupAdvantages estimate(double[] rewards) {
        Rewards.requireValid(rewards);
        int g = rewards.length;
        double mean = Rewards.mean(rewards);
        double sumSq = 0;
        for (double r : rewards) {
            sumSq += (r - mean) * (r - mean);
        }
        double std = Math.sqrt(sumSq / g);
        double[] advantages = new double[g];
        for (int i = 0; i < g; i++) {
            double centred = rewards[i] - mean;
            // 0/0 only when eps = 0 and all rewards are equal: every centred reward is then 0 too.
            advantages[i] = centred == 0 ? 0 : centred / (std + eps);
        }
        return new GroupAdvantages(Ranks.average(rewards), Rewards.requireFinite(advantages, "GRPO"));
    }

    @Override
    public String toString() {
        return "GRPO(eps=" + eps + ")";
    }
}
