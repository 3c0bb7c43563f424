package dev.gopo.tasks.reward;

import java.util.ArrayList;
import java.util.List;

/**
 * How often a reward model orders preference pairs correctly.
 *
 * @param labelAccuracy share of pairs with {@code r(chosen) > r(rejected)} (equal scores count
 *                      half): agreement with the noisy raters, capped below 1 by their noise
 * @param goldAccuracy  the same against the hidden gold ordering, over pairs whose gold
 *                      qualities differ: how well the model recovers the truth behind the noise
 * @param pairs         number of pairs
 * @param goldPairs     number of pairs with different gold qualities
 */
public record PairwiseAccuracy(double labelAccuracy, double goldAccuracy, int pairs, int goldPairs) {

    /** Gold qualities closer than this are a tie. */
    static final double GOLD_TIE = 1e-9;

    /** Scores every pair's two completions and counts correct orderings. */
    public static PairwiseAccuracy evaluate(RewardModel model, List<PreferencePair> pairs) {
        if (pairs.isEmpty()) {
            throw new IllegalArgumentException("no preference pairs to evaluate");
        }
        List<String> prompts = new ArrayList<>(2 * pairs.size());
        List<String> completions = new ArrayList<>(2 * pairs.size());
        for (PreferencePair p : pairs) {
            prompts.add(p.prompt());
            completions.add(p.chosen());
        }
        for (PreferencePair p : pairs) {
            prompts.add(p.prompt());
            completions.add(p.rejected());
        }
        double[] scores = model.scoreBatch(prompts, completions);
        int n = pairs.size();
        double label = 0;
        double gold = 0;
        int goldPairs = 0;
        for (int i = 0; i < n; i++) {
            double chosen = scores[i];
            double rejected = scores[n + i];
            double correct = chosen > rejected ? 1 : chosen == rejected ? 0.5 : 0;
            label += correct;
            PreferencePair p = pairs.get(i);
            double gap = p.chosenGold() - p.rejectedGold();
            if (Math.abs(gap) > GOLD_TIE) {
                goldPairs++;
                gold += gap > 0 ? correct : 1 - correct;
            }
        }
        return new PairwiseAccuracy(label / n, goldPairs == 0 ? Double.NaN : gold / goldPairs, n, goldPairs);
    }
}
