package dev.gopo.evaluator;

/** The evaluator's defaults, read by {@code gopo evaluator} and {@code gopo run} alike. */
public final class EvaluatorDefaults {
    /** Held-out prompts per task and version (constrained has 29; summarise's small effect needs many). */
    public static final int EVAL_PROMPTS = 128;
    /** Completions per prompt for the policy and the reference; the bootstrap resamples whole prompts. */
    public static final int SAMPLES_PER_PROMPT = 4;

    private EvaluatorDefaults() {
    }
}
