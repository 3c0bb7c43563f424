package dev.gopo.ranker.topology;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import java.util.List;

/** Small, fully valid input records; tests change one field to make them bad. */
public final class Samples {
    private Samples() {
    }

    /** Completion {@code index} of group {@code groupId} (size {@code g}); two tokens {@code 100+index, 200+index};
     * policy version {@code 3+index}, step {@code 30+index}, temperature 0.7. */
    public static Completion.Builder completion(String groupId, int index, int g, Double inlineReward) {
        return Completion.newBuilder()
                .setGroupId(groupId)
                .setPromptId("prompt-" + groupId)
                .setTask("summarise")
                .setIndex(index)
                .setGroupSize(g)
                .setPromptTokenIds(List.of(1, 7, 9))
                .setTokenIds(List.of(100 + index, 200 + index))
                .setBehaviourLogProbs(List.of(-0.5f - index, -0.25f))
                .setPolicyVersion(3L + index)
                .setPolicyStep(30L + index)
                .setTemperature(0.7)
                .setGeneratorId("gen-" + (index % 2))
                .setText(null)
                .setReward(inlineReward)
                .setSampledAtMs(1_000L);
    }

    public static Reward.Builder reward(String groupId, int index, double value) {
        return Reward.newBuilder().setGroupId(groupId).setIndex(index).setReward(value).setProducerId("rm-test").setProducedAtMs(2_000L);
    }
}
