package dev.gopo.policy.training;

/**
 * Learning rate: linear warm-up to {@code peakLr} over {@code warmupSteps}, then constant (the
 * paper's schedule: 1e-6 constant after 10 warm-up steps).
 * <pre>
 * lr(step) = peakLr * min(1, step / warmupSteps)     step = 1, 2, ... (the update being made)
 * </pre>
 *
 * @param peakLr      learning rate after warm-up; > 0
 * @param warmupSteps number of warm-up updates; 0 means constant from the first update
 */
public record WarmupSchedule(double peakLr, int warmupSteps) {

    public WarmupSchedule {
        if (!(peakLr > 0) || Double.isInfinite(peakLr)) {
            throw new IllegalArgumentException("peakLr must be a finite number > 0, got " + peakLr
                    + " (the paper uses 1e-6 for a 1.7B model; small models here use ~1e-4..1e-3)");
        }
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("warmupSteps must be >= 0, got " + warmupSteps);
        }
    }

    /** Learning rate of update number {@code step} (1-based). */
    public double lr(long step) {
        if (step < 1) {
            throw new IllegalArgumentException("steps are numbered from 1, got " + step);
        }
        if (warmupSteps == 0 || step >= warmupSteps) {
            return peakLr;
        }
        return peakLr * step / warmupSteps;
    }
}
