package dev.gopo.rewardproducer;

import java.util.Locale;

/** Which scorer the example reward producer uses. */
public enum ScorerKind {
    /** Each task's learned reward model (needs a reward-model directory per task). */
    MODEL,
    /** Completion length in characters: a demo that needs no models. */
    LENGTH;

    /**
     * Parses {@code model} or {@code length}, case-insensitively.
     *
     * @throws IllegalArgumentException listing the accepted values
     */
    public static ScorerKind parse(String value) {
        try {
            return valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("--scorer '" + value + "' is not supported: use 'model' (the tasks' reward models) "
                    + "or 'length' (completion length, for demos)", e);
        }
    }
}
