package dev.gopo.generator;

import dev.gopo.policy.sampling.SamplingConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of one generator instance, validated at start-up.
 *
 * @param generatorId          id of this instance, recorded on every completion
 * @param groupId              consumer group shared by all generators (they split the prompt partitions)
 * @param groupSize            completions per prompt, G (paper: 8)
 * @param sampling             temperature, top-k/top-p, max new tokens, base seed
 * @param rewardMode           inline reward-model scores, or external producers
 * @param initPolicyDir        the policy used until the learner announces a version (version 0)
 * @param rewardModels         reward model directory per task (needed for {@link RewardMode#INLINE})
 * @param maxGroupsPerVersion  backpressure: at most this many groups are sampled with one policy
 *                             version; then the generator pauses its prompt consumer until the learner
 *                             announces a newer version (0 = no limit)
 * @param stepBudget           backpressure tied to the learner's announced steps ({@link StepBudget}; {@link StepBudget#OFF} = none):
 *                             the generator pauses once it has sampled its share of the groups the learner can
 *                             still train on within its staleness bound
 * @param maxPrompts           stop after this many prompts (0 = run until stopped)
 * @param idleTimeout          stop after this long without prompts (zero = never)
 * @param promptsPerBatch      how many prompts' groups are sampled in one batched forward pass ({@code Sampler.sampleGroups},
 *                             {@code promptsPerBatch x groupSize} rows); 1 = one group per pass. A crash re-samples up to this
 *                             many prompts (their offsets are committed together, after their groups are acknowledged)
 */
public record GeneratorConfig(String generatorId, String groupId, int groupSize, SamplingConfig sampling, RewardMode rewardMode,
                              Path initPolicyDir, Map<String, Path> rewardModels, long maxGroupsPerVersion,
                              long maxPrompts, Duration idleTimeout, StepBudget stepBudget, int promptsPerBatch) {
    /** Default of {@code --prompts-per-batch}: 4 groups per forward pass gave x1.4-4.8 tokens/s over 1 (generator README). */
    public static final int DEFAULT_PROMPTS_PER_BATCH = 4;

    /** With {@link #DEFAULT_PROMPTS_PER_BATCH} prompts per batch. */
    public GeneratorConfig(String generatorId, String groupId, int groupSize, SamplingConfig sampling, RewardMode rewardMode,
                           Path initPolicyDir, Map<String, Path> rewardModels, long maxGroupsPerVersion, long maxPrompts, Duration idleTimeout,
                           StepBudget stepBudget) {
        this(generatorId, groupId, groupSize, sampling, rewardMode, initPolicyDir, rewardModels, maxGroupsPerVersion, maxPrompts, idleTimeout,
                stepBudget, DEFAULT_PROMPTS_PER_BATCH);
    }

    /** Without a step budget: only {@code maxGroupsPerVersion} holds the generator back. */
    public GeneratorConfig(String generatorId, String groupId, int groupSize, SamplingConfig sampling, RewardMode rewardMode,
                           Path initPolicyDir, Map<String, Path> rewardModels, long maxGroupsPerVersion, long maxPrompts, Duration idleTimeout) {
        this(generatorId, groupId, groupSize, sampling, rewardMode, initPolicyDir, rewardModels, maxGroupsPerVersion, maxPrompts, idleTimeout,
                StepBudget.OFF);
    }

    public GeneratorConfig {
        if (generatorId == null || !generatorId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--generator-id '" + generatorId + "' must be letters, digits, '.', '_' or '-'");
        }
        if (groupId == null || groupId.isBlank()) {
            throw new IllegalArgumentException("--group-id must not be empty");
        }
        if (groupSize < 2) {
            throw new IllegalArgumentException("--group-size must be >= 2 (ranking needs at least two completions), got " + groupSize);
        }
        Objects.requireNonNull(sampling, "sampling");
        Objects.requireNonNull(rewardMode, "rewardMode");
        if (initPolicyDir == null) {
            throw new IllegalArgumentException("--init-policy is required: the policy to sample with until the learner announces one (the reference policy, e.g. gopo-work/cache/reference-policy)");
        }
        rewardModels = Map.copyOf(rewardModels);
        if (rewardMode == RewardMode.INLINE && rewardModels.isEmpty()) {
            throw new IllegalArgumentException("--reward-mode INLINE needs reward models (--reward-model TASK=DIR, e.g. summarise=gopo-work/cache/reward-models/summarise); "
                    + "use --reward-mode EXTERNAL to leave rewards to external producers");
        }
        if (maxGroupsPerVersion < 0 || maxPrompts < 0) {
            throw new IllegalArgumentException("--max-groups-per-version and --max-prompts must be >= 0 (0 = no limit)");
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be >= 0");
        }
        Objects.requireNonNull(stepBudget, "stepBudget (StepBudget.OFF for none)");
        requirePromptsPerBatch(promptsPerBatch);
    }

    /**
     * Checks {@code --prompts-per-batch}; also called by commands that start generators in-process ({@code gopo run}), so a bad
     * value fails at their start-up with the generator's message.
     */
    public static void requirePromptsPerBatch(int promptsPerBatch) {
        if (promptsPerBatch < 1) {
            throw new IllegalArgumentException("--prompts-per-batch must be >= 1 (1 = one prompt's group per forward pass), got " + promptsPerBatch);
        }
    }

    /** This config with {@code promptsPerBatch} prompts per sampling batch. */
    public GeneratorConfig withPromptsPerBatch(int promptsPerBatch) {
        return new GeneratorConfig(generatorId, groupId, groupSize, sampling, rewardMode, initPolicyDir, rewardModels, maxGroupsPerVersion,
                maxPrompts, idleTimeout, stepBudget, promptsPerBatch);
    }
}
