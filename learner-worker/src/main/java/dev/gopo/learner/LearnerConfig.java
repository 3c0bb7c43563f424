package dev.gopo.learner;

import dev.gopo.policy.training.TrainerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one learner, validated at start-up.
 *
 * @param learnerId          id of this learner: its consumer group and the key of its metrics
 * @param advantagesTopic    suffix of the advantages topic to train on (empty = the default GOPO topic,
 *                           e.g. {@code grpo} for {@code advantages.grpo} in an ablation)
 * @param groupsPerStep      prompts (groups) per optimisation step (paper: 128; CPU default 8)
 * @param maxStalenessSteps  groups whose oldest completion was sampled by weights more than this many learner
 *                           optimiser steps old are dropped ({@code currentStep - min policyStep})
 * @param maxPolicyLag       optional extra bound in announced policy versions ({@link #NO_VERSION_BOUND} = off, the
 *                           default): versions come only at checkpoints, so prefer {@code maxStalenessSteps}
 * @param checkpointEvery    save weights + optimizer state + offsets every N steps
 * @param announceEveryStep  announce a policy version after every step (true) or after every checkpoint (false)
 * @param workDir            where checkpoints ({@code checkpoints/}) and announced weights ({@code policies/}) go
 * @param initPolicyDir      the starting policy, also the frozen KL reference (e.g. the supervised warm start)
 * @param trainer            loss, optimizer and temperature
 * @param maxSteps           stop after this many steps in total (0 = run until stopped)
 * @param idleTimeout        stop when no advantage group arrives for this long (zero = never)
 */
public record LearnerConfig(String learnerId, String advantagesTopic, int groupsPerStep, long maxStalenessSteps, long maxPolicyLag,
                            int checkpointEvery, boolean announceEveryStep, Path workDir, Path initPolicyDir,
                            TrainerConfig trainer, long maxSteps, Duration idleTimeout) {
    /** {@code maxPolicyLag} value that turns the version bound off. */
    public static final long NO_VERSION_BOUND = Long.MAX_VALUE;

    public LearnerConfig {
        if (learnerId == null || !learnerId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--learner-id '" + learnerId + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(advantagesTopic, "advantagesTopic");
        if (groupsPerStep < 1) {
            throw new IllegalArgumentException("--groups-per-step must be >= 1, got " + groupsPerStep);
        }
        if (maxStalenessSteps < 0) {
            throw new IllegalArgumentException("--max-staleness-steps must be >= 0 optimiser steps (0 = strictly on-policy), got "
                    + maxStalenessSteps);
        }
        if (maxPolicyLag < 0) {
            throw new IllegalArgumentException("--max-policy-lag must be >= 0 versions (leave it out to bound staleness by "
                    + "--max-staleness-steps only), got " + maxPolicyLag);
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("--checkpoint-every must be >= 1 step, got " + checkpointEvery);
        }
        Objects.requireNonNull(workDir, "--work-dir");
        if (initPolicyDir == null) {
            throw new IllegalArgumentException("--init-policy is required: the directory of the starting policy "
                    + "(e.g. the reference policy 'gopo prepare' writes to gopo-work/cache/reference-policy)");
        }
        Objects.requireNonNull(trainer, "trainer");
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0 = unlimited), got " + maxSteps);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be >= 0, got " + idleTimeout);
        }
    }

    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    public Path policiesDir() {
        return workDir.resolve("policies");
    }
}
