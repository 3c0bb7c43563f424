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

    /**
     * A group whose behaviour log-probs are drawn from {@code [logProbFloor, logProbFloor + 1)}; a floor
     * of -200 (a probability no sampler records) makes the importance ratio overflow float32.
     */
    static AdvantageGroup group(String id, int g, long policyVersion, long seed, float logProbFloor) {
        return group(id, g, policyVersion, 0, 1.0, seed, logProbFloor);
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
