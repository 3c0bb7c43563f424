package dev.gopo.tasks.reward;

/**
 * Outcome of training one reward model.
 *
 * @param steps      optimisation steps run
 * @param finalLoss  mean Bradley-Terry loss over the last logging window
 * @param train      accuracy on the training pairs
 * @param heldOut    accuracy on held-out pairs (prompts of the eval split)
 * @param seconds    wall-clock training time
 */
public record RewardTrainingReport(int steps, double finalLoss, PairwiseAccuracy train, PairwiseAccuracy heldOut,
                                   double seconds) {}
