package dev.gopo.policy.training;

/**
 * A {@link PolicyTrainer#step} whose loss or global gradient norm was NaN or infinite. The update
 * was skipped: weights and optimizer state are exactly as before the call, so the caller may
 * retry the batch or drop it and go on.
 */
public final class NonFiniteStepException extends IllegalStateException {

    private final double loss;
    private final double gradNorm;

    public NonFiniteStepException(String message, double loss, double gradNorm) {
        super(message);
        this.loss = loss;
        this.gradNorm = gradNorm;
    }

    /** The loss of the rejected step (may be finite when only the gradient was not). */
    public double loss() {
        return loss;
    }

    /** The global gradient L2 norm of the rejected step. */
    public double gradNorm() {
        return gradNorm;
    }
}
