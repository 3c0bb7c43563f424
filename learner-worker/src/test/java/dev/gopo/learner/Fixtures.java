package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Fixture advantage groups and a tiny starting policy. */
final class Fixtures {
    private Fixtures() {
    }

    static Path tinyPolicy(Path dir) throws IOException {
        try (PolicyModel model = PolicyModel.create(PolicyConfig.tiny(), Tokenizer.ascii())) {
            model.save(dir);
        }
        return dir;
    }

    /** A group of G completions with GOPO advantages 2 - 4 (rank - 1)/(G - 1) and plausible behaviour log-probs. */
    static AdvantageGroup group(String id, int g, long policyVersion, long seed) {
        return group(id, g, policyVersion, seed, -4.5f);
    }

    /** A group whose behaviour log-probs are drawn from {@code [logProbFloor, logProbFloor + 1)}. */
    static AdvantageGroup group(String id, int g, long policyVersion, long seed, float logProbFloor) {
        return group(id, g, policyVersion, 0, 1.0, seed, logProbFloor);
    }

    /** Longest completion of a fixture group (3 to 8 tokens, EOS included): the generation budget for Dr. GRPO. */
    static final int MAX_COMPLETION_TOKENS = 8;

    /** Reward scale of {@link #drGrpoGroup} whose advantages overflow the float32 loss (finite doubles, so the ranker passes them). */
    static final double OVERFLOWING_REWARD_SCALE = 3e38;

    /**
     * A group as the ranker's Dr. GRPO estimator emits it on {@code advantages.dr-grpo}: rewards
     * {@code rewardScale * (1 - 2 i / (G - 1))} (from {@code +rewardScale} down to {@code -rewardScale}) and advantages
     * {@code A_i = r_i - mean(r)}.
     *
     * <p>With {@link #OVERFLOWING_REWARD_SCALE} this is the realistic way a non-finite step reaches the learner. GOPO
     * advantages are bounded (±2) and GRPO's z-scores by the group size, but Dr. GRPO's (and RLOO's) are raw reward
     * differences: the ranker only requires rewards and advantages to be finite doubles, so an external reward producer
     * writing rewards of ±3e38 (a broken reward model, or a "very bad" sentinel) gives advantages of ±3e38 that are
     * valid records but overflow the learner's float32 loss ({@code ratio * A} summed over tokens). Behaviour log-probs
     * can no longer poison a step: the learner clamps the log-ratio to [-20, 20].
     */
    static AdvantageGroup drGrpoGroup(String id, int g, long policyVersion, long seed, double rewardScale) {
        AdvantageGroup base = group(id, g, policyVersion, seed);
        double[] rewards = new double[g];
        double mean = 0;
        for (int i = 0; i < g; i++) {
            rewards[i] = rewardScale * (1.0 - 2.0 * i / (g - 1));
            mean += rewards[i] / g;   // as the ranker does: a sum of r_i / G cannot overflow
        }
        List<ScoredCompletion> completions = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            completions.add(ScoredCompletion.newBuilder(base.getCompletions().get(i)).setReward(rewards[i])
                    .setAdvantage(rewards[i] - mean).build());
        }
        return AdvantageGroup.newBuilder(base).setEstimator("DR_GRPO").setCompletions(completions).build();
    }

    /** A group whose completions were all sampled by weights of {@code policyStep} (version {@code policyVersion}) at {@code temperature}. */
    static AdvantageGroup group(String id, int g, long policyVersion, long policyStep, double temperature, long seed, float logProbFloor) {
        Random random = new Random(seed);
        List<ScoredCompletion> completions = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            int len = 3 + random.nextInt(6);
            List<Integer> tokens = new ArrayList<>();
            List<Float> logProbs = new ArrayList<>();
            for (int t = 0; t < len; t++) {
                tokens.add(4 + random.nextInt(90));
                logProbs.add(logProbFloor + random.nextFloat());
            }
            tokens.set(len - 1, Tokenizer.EOS);
            double advantage = 2.0 - 4.0 * i / (g - 1);
            completions.add(ScoredCompletion.newBuilder().setIndex(i).setTokenIds(tokens).setBehaviourLogProbs(logProbs)
                    .setPolicyVersion(policyVersion).setPolicyStep(policyStep).setTemperature(temperature).setGeneratorId("gen-test").setReward(g - i).setRank(i + 1.0)
                    .setAdvantage(advantage).build());
        }
        return AdvantageGroup.newBuilder().setGroupId(id).setPromptId("p-" + id).setTask("fixture").setEstimator("GOPO")
                .setGroupSize(g).setPartial(false).setPromptTokenIds(List.of(Tokenizer.BOS, 40, 41, 42, Tokenizer.SEP))
                .setCompletions(completions).setLastCompletionAtMs(1L).setEmittedAtMs(2L).build();
    }
}
