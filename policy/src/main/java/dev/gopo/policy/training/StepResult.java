package dev.gopo.policy.training;

/**
 * What one optimisation step did; the learner publishes these as metrics.
 *
 * @param step         update number, 1-based ({@code train/step})
 * @param loss         the back-propagated loss {@code sum mask * (L_clip + beta * KL) / D} ({@code loss/total});
 *                     {@code policyLoss + beta * kl} with {@link LossNormaliser#tokenMean()}, smaller with
 *                     {@link LossNormaliser#constant} when completions are shorter than the budget
 * @param policyLoss   token mean of the clipped surrogate ({@code loss/policy})
 * @param kl           token mean of the k3 KL to the reference ({@code loss/kl})
 * @param ratioMean    token mean of {@code exp(logp - oldLogp)}; 1 when on-policy ({@code ratio/mean})
 * @param clipFraction fraction of tokens whose clipped term was active ({@code ratio/clip_fraction})
 * @param gradNorm     global gradient L2 norm before clipping ({@code grad/norm})
 * @param tokens       completion tokens trained on ({@code train/tokens})
 * @param lr           learning rate used ({@code train/lr})
 * @param stepMillis   wall time of the step ({@code time/step_ms})
 * @param recomputed   the first attempt was non-finite and discarded; these values are the recomputed step's
 */
public record StepResult(long step, double loss, double policyLoss, double kl, double ratioMean,
                         double clipFraction, double gradNorm, int tokens, double lr, long stepMillis,
                         boolean recomputed) {}
