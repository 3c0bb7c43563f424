package dev.gopo.learner;

/**
 * The learner's defaults, read by {@code gopo learner} and {@code gopo run} alike, so that a
 * learner started on its own trains exactly like the one in the main job. They were chosen so
 * that the default run visibly improves the policy on the built-in tasks (root README, "Does the
 * default run learn?"); the loss hyper-parameters are the paper's.
 */
public final class LearnerDefaults {
    /** Groups (prompts) per optimisation step (paper: 128 on GPUs). */
    public static final int GROUPS_PER_STEP = 16;
    /** Staleness bound in optimiser steps; keep it above {@link #CHECKPOINT_EVERY}, since generators get weights at checkpoints. */
    public static final long MAX_STALENESS_STEPS = 25;
    /** Checkpoint (and announce a policy version) every this many steps. */
    public static final int CHECKPOINT_EVERY = 10;
    /** Peak learning rate of AdamW. */
    public static final double LR = 3e-4;
    /** Linear warm-up steps of the learning rate (paper: 10). */
    public static final int WARMUP_STEPS = 10;
    /** Clip range of the importance ratio (paper: 0.2 both sides). */
    public static final double EPS_LOW = 0.2;
    public static final double EPS_HIGH = 0.2;
    /** Weight of the k3 KL penalty to the reference policy (paper: 0.04). */
    public static final double BETA = 0.04;
    /** Global gradient-norm clip. */
    public static final double MAX_GRAD_NORM = 1.0;
    /** Sampling temperature the learner's log-probs are computed at; generators must sample at the same. */
    public static final double TEMPERATURE = 1.0;

    private LearnerDefaults() {
    }
}
