package dev.gopo.learner.bench;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeded synthetic advantage groups of fixed shape, for benchmarks. */
final class SyntheticGroups {
    private SyntheticGroups() {
    }

    static List<AdvantageGroup> make(int count, int groupSize, int promptTokens, int completionTokens, long seed) {
        Random random = new Random(seed);
        List<AdvantageGroup> out = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            List<Integer> prompt = new ArrayList<>();
            prompt.add(Tokenizer.BOS);
            for (int i = 1; i < promptTokens - 1; i++) {
                prompt.add(4 + random.nextInt(90));
            }
            prompt.add(Tokenizer.SEP);
            List<ScoredCompletion> completions = new ArrayList<>();
            for (int i = 0; i < groupSize; i++) {
                List<Integer> tokens = new ArrayList<>();
                List<Float> logProbs = new ArrayList<>();
                for (int t = 0; t < completionTokens; t++) {
                    tokens.add(4 + random.nextInt(90));
                    logProbs.add(-4.6f + 0.2f * random.nextFloat());
                }
                completions.add(ScoredCompletion.newBuilder().setIndex(i).setTokenIds(tokens).setBehaviourLogProbs(logProbs)
                        .setPolicyVersion(0).setGeneratorId("bench").setReward(random.nextGaussian()).setRank(i + 1.0)
                        .setAdvantage(groupSize == 1 ? 0 : 2.0 - 4.0 * i / (groupSize - 1)).build());
            }
            out.add(AdvantageGroup.newBuilder().setGroupId("bench-" + n).setPromptId("p-" + n).setTask("bench").setEstimator("GOPO")
                    .setGroupSize(groupSize).setPartial(false).setPromptTokenIds(prompt).setCompletions(completions)
                    .setLastCompletionAtMs(0).setEmittedAtMs(0).build());
        }
        return out;
    }
}
