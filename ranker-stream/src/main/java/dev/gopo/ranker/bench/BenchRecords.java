package dev.gopo.ranker.bench;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Synthetic completions and rewards shaped like the generator's (G completions of T tokens per group). */
final class BenchRecords {
    private final int groupSize;
    private final int tokens;
    private final List<Integer> promptTokens;
    private final Random random;

    BenchRecords(int groupSize, int tokens, long seed) {
        this.groupSize = groupSize;
        this.tokens = tokens;
        this.random = new Random(seed);
        List<Integer> prompt = new ArrayList<>();
        for (int t = 0; t < 32; t++) {
            prompt.add(1 + t);
        }
        this.promptTokens = List.copyOf(prompt);
    }

    int groupSize() {
        return groupSize;
    }

    Completion completion(String groupId, int index, Double inlineReward) {
        List<Integer> ids = new ArrayList<>(tokens);
        List<Float> logProbs = new ArrayList<>(tokens);
        for (int t = 0; t < tokens; t++) {
            ids.add(3 + random.nextInt(4_000));
            logProbs.add((float) -random.nextDouble() * 4);
        }
        return Completion.newBuilder().setGroupId(groupId).setPromptId("p-" + groupId).setTask("bench").setIndex(index).setGroupSize(groupSize)
                .setPromptTokenIds(promptTokens).setTokenIds(ids).setBehaviourLogProbs(logProbs).setPolicyVersion(1L).setGeneratorId("bench")
                .setText(null).setReward(inlineReward).setSampledAtMs(System.currentTimeMillis()).build();
    }

    Reward reward(String groupId, int index) {
        return Reward.newBuilder().setGroupId(groupId).setIndex(index).setReward(nextReward()).setProducerId("bench")
                .setProducedAtMs(System.currentTimeMillis()).build();
    }

    double nextReward() {
        return random.nextGaussian();
    }
}
