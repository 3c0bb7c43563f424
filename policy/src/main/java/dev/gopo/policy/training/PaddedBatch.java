package dev.gopo.policy.training;

import java.util.List;

/**
 * A batch of {@link TrainingSequence}s laid out as right-padded {@code (B, T)} arrays on the CPU.
 *
 * <p>Row {@code i} holds {@code prompt_i ++ completion_i ++ PAD...}. Log-prob column {@code j}
 * scores token {@code j + 1}, so completion token {@code k} of row {@code i} (at token position
 * {@code P_i + k}) is scored in column {@code P_i - 1 + k}: the mask is 1 exactly on columns
 * {@code [P_i - 1, P_i - 1 + C_i)}. Right padding needs no attention mask: causal attention
 * never lets a real token see the padding after it.
 */
final class PaddedBatch {

    final int batchSize;
    /** Token columns T; log-prob columns are T - 1. */
    final int length;
    /** {@code (B, T)} token ids, PAD = 0 after each sequence. */
    final int[] tokens;
    /** {@code (B, T-1)} 1 on completion tokens. */
    final float[] mask;
    /** {@code (B, T-1)} behaviour log-probs on completion tokens, 0 elsewhere. */
    final float[] oldLogProbs;
    /** {@code (B)}. */
    final float[] advantages;
    /** Number of completion tokens in the batch. */
    final int completionTokens;

    private PaddedBatch(int batchSize, int length, int[] tokens, float[] mask, float[] oldLogProbs,
                        float[] advantages, int completionTokens) {
        this.batchSize = batchSize;
        this.length = length;
        this.tokens = tokens;
        this.mask = mask;
        this.oldLogProbs = oldLogProbs;
        this.advantages = advantages;
        this.completionTokens = completionTokens;
    }

    /**
     * @throws IllegalArgumentException for an empty batch, a sequence longer than the context, or
     *     a token id outside the vocabulary
     */
    static PaddedBatch of(List<TrainingSequence> sequences, int maxSeqLen, int vocabSize) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("batch is empty: pass at least one TrainingSequence");
        }
        int batch = sequences.size();
        int length = 0;
        for (int i = 0; i < batch; i++) {
            TrainingSequence s = sequences.get(i);
            if (s.length() > maxSeqLen) {
                throw new IllegalArgumentException("sequence " + i + " has " + s.promptTokens().length
                        + " prompt + " + s.completionTokens().length + " completion tokens = " + s.length()
                        + ", more than the model context " + maxSeqLen);
            }
            length = Math.max(length, s.length());
        }
        int columns = length - 1;
        int[] tokens = new int[batch * length];
        float[] mask = new float[batch * columns];
        float[] old = new float[batch * columns];
        float[] advantages = new float[batch];
        int count = 0;
        for (int i = 0; i < batch; i++) {
            TrainingSequence s = sequences.get(i);
            int[] prompt = s.promptTokens();
            int[] completion = s.completionTokens();
            float[] behaviour = s.behaviourLogProbs();
            checkIds(prompt, vocabSize, i, "prompt");
            checkIds(completion, vocabSize, i, "completion");
            System.arraycopy(prompt, 0, tokens, i * length, prompt.length);
            System.arraycopy(completion, 0, tokens, i * length + prompt.length, completion.length);
            for (int k = 0; k < completion.length; k++) {
                int column = i * columns + prompt.length - 1 + k;
                mask[column] = 1f;
                old[column] = behaviour[k];
            }
            advantages[i] = (float) s.advantage();
            count += completion.length;
        }
        return new PaddedBatch(batch, length, tokens, mask, old, advantages, count);
    }

    private static void checkIds(int[] ids, int vocabSize, int row, String part) {
        for (int k = 0; k < ids.length; k++) {
            if (ids[k] < 0 || ids[k] >= vocabSize) {
                throw new IllegalArgumentException("sequence " + row + ": " + part + " token " + ids[k]
                        + " at position " + k + " is outside the vocabulary [0, " + vocabSize + ")");
            }
        }
    }
}
