package dev.gopo.learner;

import dev.gopo.platform.VersionCadence;
import dev.gopo.policy.training.LossNormaliser;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Immutable settings of one learner, validated at start-up.
 *
 * @param learnerId          id of this learner: its consumer group and the key of its metrics
 * @param estimator          the estimator whose advantages topic to train on (GOPO's plain {@code advantages} topic by
 *                           default, e.g. GRPO's {@code advantages.grpo} in an ablation); announced on every policy version
 *                           by its enum name, as the ranker writes it on {@code AdvantageGroup.estimator}
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
 * @param maxCompletionTokens the generators' generation budget ({@code --max-new-tokens}, EOS included); required with
 *                           the Dr. GRPO advantages, whose loss is divided by this constant times the completions
 *                           (0 = not set)
 * @param replay             training on a recorded run ({@code gopo replay}, {@code --replay}): the groups carry policy
 *                           versions and steps of <em>another</em> learner's clock, so the {@code FUTURE_POLICY} and
 *                           {@code STALE_POLICY} checks of {@link GroupAdmission} are off (the temperature and
 *                           completion-length checks stay). Every recorded group is trained once, in recorded order; the
 *                           importance ratio against the recorded behaviour log-probs and the clip bound the update, as
 *                           online; the lag metrics then report each group's lag on the original run's clock (the newest
 *                           recorded {@code policyStep} read so far minus the group's oldest), not on this learner's
 */
public record LearnerConfig(String learnerId, Estimator estimator, int groupsPerStep, long maxStalenessSteps, long maxPolicyLag,
                            int checkpointEvery, boolean announceEveryStep, Path workDir, Path initPolicyDir,
                            TrainerConfig trainer, long maxSteps, Duration idleTimeout, int maxCompletionTokens,
                            boolean replay) {
    /** {@code maxPolicyLag} value that turns the version bound off. */
    public static final long NO_VERSION_BOUND = Long.MAX_VALUE;

    public LearnerConfig {
        if (learnerId == null || !learnerId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--learner-id '" + learnerId + "' must be letters, digits, '.', '_' or '-'");
        }
        Objects.requireNonNull(estimator, "estimator");
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
        VersionCadence.requireCheckpointEvery(checkpointEvery);
        Objects.requireNonNull(workDir, "--work-dir");
        if (initPolicyDir == null) {
            throw new IllegalArgumentException("--init-policy is required: the directory of the starting policy "
                    + "(e.g. the reference policy 'gopo prepare' writes to gopo-work/cache/reference-policy)");
        }
        Objects.requireNonNull(trainer, "trainer");
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0 = unlimited), got " + maxSteps);
        }
        if (maxCompletionTokens < 0) {
            throw new IllegalArgumentException("--max-completion-tokens must be >= 0 (0 = not set), got " + maxCompletionTokens);
        }
        if (estimator == Estimator.DR_GRPO && maxCompletionTokens < 1) {
            throw new IllegalArgumentException("--advantages dr-grpo needs --max-completion-tokens: Dr. GRPO divides the loss by the "
                    + "generation budget, so pass the generators' --max-new-tokens");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be >= 0, got " + idleTimeout);
        }
    }

    /** When this learner announces policy versions, and the staleness bound below which it warns at start-up. */
    public VersionCadence cadence() {
        return new VersionCadence(checkpointEvery, announceEveryStep);
    }

    /** Dr. GRPO's constant normaliser on its advantages, token-level averaging on every other estimator's. */
    public LossNormaliser lossNormaliser() {
        return estimator == Estimator.DR_GRPO ? LossNormaliser.constant(maxCompletionTokens) : LossNormaliser.tokenMean();
    }

    public Path checkpointDir() {
        return workDir.resolve("checkpoints");
    }

    public Path policiesDir() {
        return workDir.resolve("policies");
    }
}
