package dev.gopo.evaluator;

import dev.gopo.platform.DeadLetterReason;

/** An announced policy version whose weights cannot be used; the reason becomes the dead letter's. */
public final class WeightsRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final DeadLetterReason reason;

    public WeightsRejectedException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
