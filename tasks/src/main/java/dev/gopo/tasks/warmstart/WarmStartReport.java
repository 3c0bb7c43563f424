package dev.gopo.tasks.warmstart;

/**
 * Outcome of the supervised warm start.
 *
 * @param steps     optimisation steps run
 * @param firstLoss mean per-token cross-entropy (nats) over the first logging window
 * @param finalLoss mean per-token cross-entropy (nats) over the last logging window
 * @param seconds   wall-clock training time
 */
public record WarmStartReport(int steps, double firstLoss, double finalLoss, double seconds) {}
