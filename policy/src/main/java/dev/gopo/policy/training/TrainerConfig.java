package dev.gopo.policy.training;

/**
 * Settings of a {@link PolicyTrainer}.
 *
 * @param loss        clip ranges and KL weight
 * @param optimizer   AdamW, schedule and gradient clipping
 * @param temperature temperature of the log-probs being trained; MUST equal the generators'
 *                    sampling temperature, or the on-policy ratio is not 1
 */
public record TrainerConfig(LossConfig loss, AdamWConfig optimizer, double temperature) {

    public TrainerConfig {
        if (loss == null || optimizer == null) {
            throw new IllegalArgumentException("loss and optimizer settings are required");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature
                    + " (use the generators' sampling temperature, usually 1.0)");
        }
    }

    /** Paper loss settings, AdamW defaults at {@code peakLr}, temperature 1. */
    public static TrainerConfig defaults(double peakLr) {
        return new TrainerConfig(LossConfig.paperDefaults(), AdamWConfig.defaults(peakLr), 1.0);
    }
}
