package dev.gopo.ranker.advantage;

/**
 * RLOO, REINFORCE leave-one-out (Kool, van Hoof, Welling, "Buy 4 REINFORCE samples, get a baseline
 * for free!", 2019; Ahmadian et al., arXiv 2402.14740): each completion's baseline is the mean
 * reward of the <em>other</em> completions of its group,
 *
 * <pre>
 *   A_i = r_i - (1 / (G - 1)) sum_{j != i} r_j  =  G / (G - 1) * (r_i - mean(r))
 * </pre>
 *
 * computed with the right-hand form so no large sum is subtracted from a small reward.
 * Ranks are reported as average ranks. {@code G = 1}: advantage 0 (there is no other completion).
 */
public final class RlooEstimator implements AdvantageEstimator {
    @Override
    public GroupAdvantages estimate(double[] rewards) {
        Rewards.requireValid(rewards);
        int g = rewards.length;
        double[] advantages = new double[g];
        if (g > 1) {
            double mean = Rewards.mean(rewards);
            double scale = g / (g - 1.0);
            for (int i = 0; i < g; i++) {
                advantages[i] = scale * (rewards[i] - mean);
            }
        }
        return new GroupAdvantages(Ranks.average(rewards), Rewards.requireFinite(advantages, "RLOO"));
    }

    @Override
    public String toString() {
        return "RLOO";
    }
}
