package dev.gopo.generator;

import dev.gopo.avro.Completion;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.sampling.SampledCompletion;
import java.util.ArrayList;
import java.util.List;

/** Turns a sampled group into {@link Completion} records: one per sample, all keyed by the group id. */
public final class CompletionGroup {
    private CompletionGroup() {
    }

    /**
     * The group id is derived from the prompt record's coordinates, so a prompt re-read after a
     * generator crash produces the same group id and the ranker drops the second copy as a duplicate.
     */
    public static String groupId(String promptId, String topic, int partition, long offset) {
        return promptId + "@" + topic + "-" + partition + "-" + offset;
    }

    /**
     * @param policyStep  learner optimiser step of the weights that sampled the group (0 for the reference policy)
     * @param temperature sampling temperature; the samples' log-probs are those of the distribution it defines (after top-k/top-p)
     */
    static List<Completion> build(String groupId, String promptId, String task, int[] promptTokens, List<SampledCompletion> samples,
                                  double[] rewards, long policyVersion, long policyStep, double temperature, String generatorId,
                                  Tokenizer tokenizer) {
        List<Integer> prompt = new ArrayList<>(promptTokens.length);
        for (int t : promptTokens) {
            prompt.add(t);
        }
        long now = System.currentTimeMillis();
        List<Completion> out = new ArrayList<>(samples.size());
        for (int i = 0; i < samples.size(); i++) {
            SampledCompletion s = samples.get(i);
            List<Integer> tokens = new ArrayList<>(s.length());
            List<Float> logProbs = new ArrayList<>(s.length());
            int[] ids = s.tokens();
            float[] lps = s.logProbs();
            for (int t = 0; t < ids.length; t++) {
                tokens.add(ids[t]);
                logProbs.add(lps[t]);
            }
            out.add(Completion.newBuilder()
                    .setGroupId(groupId).setPromptId(promptId).setTask(task)
                    .setIndex(i).setGroupSize(samples.size())
                    .setPromptTokenIds(prompt).setTokenIds(tokens).setBehaviourLogProbs(logProbs)
                    .setPolicyVersion(policyVersion).setPolicyStep(policyStep).setTemperature(temperature)
                    .setGeneratorId(generatorId)
                    .setText(tokenizer.decode(ids))
                    .setReward(rewards == null ? null : rewards[i])
                    .setSampledAtMs(now)
                    .build());
        }
        return out;
    }
}
