package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.training.LossNormaliser;
import java.util.Optional;

/**
 * Decides whether an advantage group may be trained on by a learner that is at optimiser step
 * {@code S} (its weights have had {@code S} updates) and has announced policy version {@code V}.
 *
 * <p>In an asynchronous pipeline the clipped ratio {@code exp(logp_theta - logp_behaviour)} is an
 * importance weight, trustworthy only while the behaviour policy is close to the current one. Closeness
 * is measured in optimiser steps, not in announced versions (versions come only at checkpoints, so a
 * version lag of 4 at {@code --checkpoint-every 5} admits samples ~24 steps old):
 *
 * <pre>
 *   stepLag(group)    = S - min_i policyStep_i        (0 = sampled by the weights being updated)
 *   versionLag(group) = V - min_i policyVersion_i
 * </pre>
 *
 * Checks, in order:
 * <ol>
 *   <li>{@link DeadLetterReason#FUTURE_POLICY}: some completion claims {@code policyStep > S} or
 *       {@code policyVersion > V}. Its lag cannot be measured (a clamp to 0 would train it as
 *       on-policy), so it is rejected.</li>
 *   <li>{@link DeadLetterReason#TEMPERATURE_MISMATCH}: some completion was sampled at a temperature
 *       other than the learner's {@code TrainerConfig.temperature}; its behaviour log-probs are those of
 *       another distribution than the one the learner's log-probs are computed under.</li>
 *   <li>{@link DeadLetterReason#INCONSISTENT_RECORD}: some completion is longer than the generation budget of a
 *       {@link LossNormaliser#constant(int) constant} (Dr. GRPO) normaliser. Dr. GRPO divides the loss by that budget
 *       per completion, so a longer completion means the budget is not the generators' {@code --max-new-tokens}
 *       (or the producer broke it); the trainer would refuse the whole step, so the group is refused here, alone.</li>
 *   <li>{@link DeadLetterReason#STALE_POLICY}: {@code stepLag > maxStalenessSteps}, or
 *       {@code versionLag > maxPolicyLag} when that optional bound is set.</li>
 * </ol>
 *
 * <p>In <b>replay</b> ({@code gopo replay}) the groups were recorded by another learner's run: their
 * {@code policyStep} and {@code policyVersion} count that run's updates, not this learner's, so neither
 * {@code FUTURE_POLICY} nor {@code STALE_POLICY} means anything and both checks are off. The temperature and
 * completion-length checks stay: they are about the records themselves.
 *
 * @param maxStalenessSteps the staleness bound in optimiser steps (0 = strictly on-policy)
 * @param maxPolicyLag      optional extra bound in announced versions; {@link LearnerConfig#NO_VERSION_BOUND} = off
 * @param temperature       the learner's temperature; completions must have been sampled at it
 * @param normaliser        the learner's loss normaliser; with {@link LossNormaliser#constant(int)} completions must fit its budget
 * @param replay            true on a recorded run: no future-policy and no staleness check
 */
record GroupAdmission(long maxStalenessSteps, long maxPolicyLag, double temperature, LossNormaliser normaliser, boolean replay) {
    /** Relative tolerance of the temperature comparison: a value parsed from the same decimal is equal, anything else is not. */
    static final double TEMPERATURE_TOLERANCE = 1e-9;

    /** A refusal: the dead-letter reason and the detail to put on the dead letter. */
    record Refusal(DeadLetterReason reason, String detail) {}

    GroupAdmission {
        if (maxStalenessSteps < 0) {
            throw new IllegalArgumentException("maxStalenessSteps must be >= 0, got " + maxStalenessSteps);
        }
        if (maxPolicyLag < 0) {
            throw new IllegalArgumentException("maxPolicyLag must be >= 0, got " + maxPolicyLag);
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
        if (normaliser == null) {
            throw new IllegalArgumentException("normaliser is null: use LossNormaliser.tokenMean() unless training on Dr. GRPO advantages");
        }
    }

    /** Online (not replay). */
    GroupAdmission(long maxStalenessSteps, long maxPolicyLag, double temperature, LossNormaliser normaliser) {
        this(maxStalenessSteps, maxPolicyLag, temperature, normaliser, false);
    }

    /** Online, with token-level averaging, which every estimator but Dr. GRPO uses. */
    GroupAdmission(long maxStalenessSteps, long maxPolicyLag, double temperature) {
        this(maxStalenessSteps, maxPolicyLag, temperature, LossNormaliser.tokenMean());
    }

    /** Optimiser steps between the oldest weights that sampled the group and the learner's current step (never negative). */
    static long stepLag(AdvantageGroup group, long currentStep) {
        long oldest = group.getCompletions().stream().mapToLong(ScoredCompletion::getPolicyStep).min().orElse(currentStep);
        return Math.max(0, currentStep - oldest);
    }

    /** Announced versions between the oldest policy that sampled the group and the learner's current version (never negative). */
    static long versionLag(AdvantageGroup group, long currentVersion) {
        long oldest = group.getCompletions().stream().mapToLong(ScoredCompletion::getPolicyVersion).min().orElse(currentVersion);
        return Math.max(0, currentVersion - oldest);
    }

    /** Empty when the group may be trained on at {@code currentStep} / {@code currentVersion}. */
    Optional<Refusal> check(AdvantageGroup group, long currentStep, long currentVersion) {
        long newestStep = group.getCompletions().stream().mapToLong(ScoredCompletion::getPolicyStep).max().orElse(0);
        long newestVersion = group.getCompletions().stream().mapToLong(ScoredCompletion::getPolicyVersion).max().orElse(0);
        if (!replay && (newestStep > currentStep || newestVersion > currentVersion)) {
            return Optional.of(new Refusal(DeadLetterReason.FUTURE_POLICY, "group " + group.getGroupId()
                    + " claims to be sampled by policy version " + newestVersion + " at optimiser step " + newestStep
                    + ", but this learner is at version " + currentVersion + ", step " + currentStep
                    + ": its staleness cannot be measured. Either a producer wrote a wrong policyVersion/policyStep, or generators"
                    + " are still on weights of a learner run this one does not descend from (a wiped --work-dir, or a restart from"
                    + " an older checkpoint with --announce-every-step)"));
        }
        for (ScoredCompletion c : group.getCompletions()) {
            if (Math.abs(c.getTemperature() - temperature) > TEMPERATURE_TOLERANCE * Math.max(1.0, Math.abs(temperature))) {
                return Optional.of(new Refusal(DeadLetterReason.TEMPERATURE_MISMATCH, "completion " + c.getIndex() + " of group "
                        + group.getGroupId() + " was sampled at temperature " + c.getTemperature() + " (generator "
                        + c.getGeneratorId() + ") but this learner computes log-probs at temperature " + temperature
                        + ": the importance ratio would compare two different distributions. Run generators and learner with the"
                        + " same --temperature"));
            }
        }
        for (ScoredCompletion c : group.getCompletions()) {
            try {
                normaliser.requireFits(c.getTokenIds().size(), c.getIndex());
            } catch (IllegalArgumentException e) {
                return Optional.of(new Refusal(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group "
                        + group.getGroupId() + " (generator " + c.getGeneratorId() + ") has " + c.getTokenIds().size()
                        + " tokens, more than --max-completion-tokens " + normaliser.maxCompletionTokens() + ": Dr. GRPO divides"
                        + " the loss by that budget per completion, so it must be the generators' --max-new-tokens (EOS included)."
                        + " Set --max-completion-tokens to it, or find the producer that wrote longer completions"));
            }
        }
        if (replay) {
            return Optional.empty();
        }
        long steps = stepLag(group, currentStep);
        if (steps > maxStalenessSteps) {
            return Optional.of(new Refusal(DeadLetterReason.STALE_POLICY, "group " + group.getGroupId() + " was sampled by weights "
                    + steps + " optimiser steps old (current step " + currentStep + ", --max-staleness-steps " + maxStalenessSteps
                    + ")"));
        }
        long versions = versionLag(group, currentVersion);
        if (versions > maxPolicyLag) {
            return Optional.of(new Refusal(DeadLetterReason.STALE_POLICY, "group " + group.getGroupId() + " is " + versions
                    + " policy versions old (current " + currentVersion + ", --max-policy-lag " + maxPolicyLag + ")"));
        }
        return Optional.empty();
    }
}
