package dev.gopo.tasks.optim;

import dev.gopo.policy.training.GradientStep;
import org.slf4j.Logger;

/**
 * Counts optimisation steps skipped for a non-finite loss or gradient. A rare one is tolerated
 * (logged as a warning) so that a long prepare run is not lost to a single bad batch; more than
 * {@code max(3, steps / 100)} means training is diverging and stops with an error. A step whose
 * recomputation is finite is logged as an error: the same inputs must give the same step.
 */
public final class SkippedSteps {

    private final String what;
    private final int limit;
    private int skipped;

    /** @param what names the training run in messages, e.g. "reward model summarise" */
    public SkippedSteps(String what, int totalSteps) {
        this.what = what;
        this.limit = Math.max(3, totalSteps / 100);
    }

    /**
     * Records the outcome of step {@code step}.
     *
     * @throws IllegalStateException when more steps than the limit have been skipped
     */
    public void record(GradientStep.Outcome<?> result, int step, Logger log) {
        if (result.applied()) {
            if (result.recomputed()) {
                // Expected 0 since the freed-scalar bug was fixed: the same inputs must give the same step.
                log.error("{}: step {}: the first attempt was non-finite but the recomputation from the same inputs is finite: "
                        + "the same batch gave two different steps, which must not happen (expected 0 since the freed-scalar bug "
                        + "was fixed, policy README \"Scalars and autograd\"). Please report it with this log", what, step);
            }
            return;
        }
        skipped++;
        log.warn("{}: step {} skipped: non-finite loss {} or gradient norm {}, also when recomputed ({} skipped so far, limit {})",
                what, step, result.loss(), result.gradNorm(), skipped, limit);
        if (skipped > limit) {
            throw new IllegalStateException(what + ": " + skipped + " steps had a non-finite loss or gradient "
                    + "(limit " + limit + "): training diverges; lower the learning rate");
        }
    }

    public int skipped() {
        return skipped;
    }
}
