/**
 * The learner's math: clipped surrogate loss with k3 KL (GOPO arXiv 2602.03876, GRPO arXiv
 * 2402.03300), AdamW with saveable state, warm-up schedule, gradient clipping, and
 * {@link dev.gopo.policy.training.PolicyTrainer} which ties them into one step.
 */
package dev.gopo.policy.training;
