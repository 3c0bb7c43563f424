package dev.gopo.tasks;

import dev.gopo.policy.PolicyConfig;
import dev.gopo.tasks.reward.RewardModelConfig;

import java.util.Locale;

/** Size presets for the models {@code gopo prepare} builds. */
public enum ModelSize {
    /** For tests and smoke runs: {@link PolicyConfig#tiny()} (~30k parameters) and {@link RewardModelConfig#tiny()}. */
    TINY(PolicyConfig.tiny(), RewardModelConfig.tiny()),
    /** The pipeline default: {@link PolicyConfig#small()} (~0.9M parameters) and {@link RewardModelConfig#small()}. */
    SMALL(PolicyConfig.small(), RewardModelConfig.small());

    private final PolicyConfig policy;
    private final RewardModelConfig rewardModel;

    ModelSize(PolicyConfig policy, RewardModelConfig rewardModel) {
        this.policy = policy;
        this.rewardModel = rewardModel;
    }

    /**
     * The policy shape, initialised with {@code seed}, sized for the word-level
     * {@link TaskVocabulary#tokenizer()} and its {@link TaskVocabulary#CONTEXT}.
     */
    public PolicyConfig policyConfig(long seed) {
        return policy.withSeed(seed).withVocabSize(TaskVocabulary.tokenizer().vocabSize())
                .withMaxSeqLen(TaskVocabulary.CONTEXT);
    }

    /** The reward-model shape, initialised with {@code seed}. */
    public RewardModelConfig rewardModelConfig(long seed) {
        return rewardModel.withSeed(seed);
    }

    /**
     * The preset called {@code name}, case-insensitive.
     *
     * @throws IllegalArgumentException listing the presets for an unknown name
     */
    public static ModelSize parse(String name) {
        for (ModelSize s : values()) {
            if (s.name().equalsIgnoreCase(name == null ? "" : name.strip())) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown model size '" + name + "': use tiny or small");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
