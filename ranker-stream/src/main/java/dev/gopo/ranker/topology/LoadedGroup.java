package dev.gopo.ranker.topology;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.advantage.GroupAdvantages;
import dev.gopo.ranker.state.avro.StoredCompletion;
import dev.gopo.ranker.state.avro.StoredPrompt;
import dev.gopo.schemas.topic.Estimator;
import java.util.ArrayList;
import java.util.List;

/**
 * The scored completions of a group read back from the store, ordered by index, with the reward
 * each one is ranked by; turns an estimator's result into the {@link AdvantageGroup} record.
 */
record LoadedGroup(String groupId, int groupSize, boolean partial, StoredPrompt prompt, int[] indices, List<StoredCompletion> completions,
                   double[] rewards, long lastEventMs) {

    /** The same group ranked by other rewards (the reward transform's), which the record then carries. */
    LoadedGroup withRewards(double[] transformed) {
        return new LoadedGroup(groupId, groupSize, partial, prompt, indices, completions, transformed, lastEventMs);
    }

    AdvantageGroup toRecord(Estimator estimator, GroupAdvantages advantages, long emittedAtMs) {
        List<ScoredCompletion> scored = new ArrayList<>(indices.length);
        for (int k = 0; k < indices.length; k++) {
            StoredCompletion c = completions.get(k);
            scored.add(ScoredCompletion.newBuilder()
                    .setIndex(indices[k])
                    .setTokenIds(c.getTokenIds())
                    .setBehaviourLogProbs(c.getBehaviourLogProbs())
                    .setPolicyVersion(c.getPolicyVersion())
                    .setPolicyStep(c.getPolicyStep())
                    .setTemperature(c.getTemperature())
                    .setGeneratorId(c.getGeneratorId())
                    .setReward(rewards[k])
                    .setRank(advantages.ranks()[k])
                    .setAdvantage(advantages.advantages()[k])
                    .build());
        }
        return AdvantageGroup.newBuilder()
                .setGroupId(groupId)
                .setPromptId(prompt.getPromptId())
                .setTask(prompt.getTask())
                .setEstimator(estimator.name())
                .setGroupSize(groupSize)
                .setPartial(partial)
                .setPromptTokenIds(prompt.getPromptTokenIds())
                .setCompletions(scored)
                .setLastCompletionAtMs(lastEventMs)
                .setEmittedAtMs(emittedAtMs)
                .build();
    }
}
