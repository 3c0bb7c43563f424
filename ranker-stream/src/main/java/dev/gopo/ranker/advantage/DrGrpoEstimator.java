package dev.gopo.ranker.advantage;

/**
 * Dr. GRPO advantage ("Understanding R1-Zero-Like Training: A Critical Perspective", Liu et al.,
 * arXiv 2503.20783): GRPO without the standard-deviation normalisation,
 *
 * <pre>
 *   A_i = r_i - mean(r)
 * </pre>
 *
 * (Dr. GRPO also drops GRPO's per-sequence length normalisation of the loss; that belongs to the
 * learner, not to the advantage.) Ranks are reported as average ranks. {@code G = 1}: advantage 0.
 */
public final class DrGrpoEstimator implements AdvantageEstimator {
    @Override
    public GroupAdvantages estimate(double[] rewards) {
        Rewards.requireValid(rewards);
        double mean = Rewards.mean(rewards);
        double[] advantages = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            advantages[i] = rewards[i] - mean;
        }
        return new GroupAdvantages(Ranks.average(rewards), Rewards.requireFinite(advantages, "Dr. GRPO"));
    }

    @Override
    public String toString() {
        return "DR_GRPO";
    }
}
