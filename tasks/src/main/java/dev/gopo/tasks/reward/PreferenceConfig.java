package dev.gopo.tasks.reward;

/**
 * How simulated preference data is drawn.
 *
 * @param pairsPerPrompt comparisons per prompt, >= 1
 * @param temperature    Bradley-Terry rater temperature {@code tau} > 0: the rater prefers
 *                       {@code a} over {@code b} with probability
 *                       {@code sigmoid((q_a - q_b) / tau)} where {@code q} is the gold quality;
 *                       smaller is less noisy (0.1: a gold gap of 0.1 is preferred 73% of the time)
 * @param seed           seed of the candidate and label draws
 */
public record PreferenceConfig(int pairsPerPrompt, double temperature, long seed) {

    public PreferenceConfig {
        if (pairsPerPrompt < 1) {
            throw new IllegalArgumentException("pairsPerPrompt must be >= 1, got " + pairsPerPrompt);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature
                    + " (0.1 is a moderately noisy rater)");
        }
    }

    /** 8 pairs per prompt, rater temperature 0.1. */
    public static PreferenceConfig defaults(long seed) {
        return new PreferenceConfig(8, 0.1, seed);
    }
}
