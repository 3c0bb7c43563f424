package dev.gopo.policy.training;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PaddedBatchTest {

    @Test
    void maskCoversOnlyCompletionTokensInLogProbColumns() {
        // row 0: prompt [1, 10, 3] + completion [20, 21, 2] -> T = 6
        // row 1: prompt [1, 3]     + completion [30]        -> padded with 0
        TrainingSequence a = new TrainingSequence(new int[] {1, 10, 3}, new int[] {20, 21, 2},
                new float[] {-0.5f, -1.5f, -2.5f}, 2.0);
        TrainingSequence b = new TrainingSequence(new int[] {1, 3}, new int[] {30}, new float[] {-0.25f}, -2.0);
        PaddedBatch batch = PaddedBatch.of(List.of(a, b), 96, 99);
        assertThat(batch.batchSize).isEqualTo(2);
        assertThat(batch.length).isEqualTo(6);
        assertThat(batch.tokens).containsExactly(1, 10, 3, 20, 21, 2, /* row 1 */ 1, 3, 30, 0, 0, 0);
        // log-prob column j scores token j+1: completion tokens of row 0 are columns 2, 3, 4; of row 1 column 1
        assertThat(batch.mask).containsExactly(0, 0, 1, 1, 1, /* row 1 */ 0, 1, 0, 0, 0);
        assertThat(batch.oldLogProbs).containsExactly(0, 0, -0.5f, -1.5f, -2.5f, /* row 1 */ 0, -0.25f, 0, 0, 0);
        assertThat(batch.advantages).containsExactly(2f, -2f);
        assertThat(batch.completionTokens).isEqualTo(4);
    }

    @Test
    void rejectsTooLongSequencesAndUnknownIds() {
        TrainingSequence longOne = new TrainingSequence(new int[90], new int[10], new float[10], 1.0);
        assertThatThrownBy(() -> PaddedBatch.of(List.of(longOne), 96, 99))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("90 prompt + 10 completion tokens = 100, more than the model context 96");
        TrainingSequence badId = new TrainingSequence(new int[] {1}, new int[] {120}, new float[] {-1}, 1.0);
        assertThatThrownBy(() -> PaddedBatch.of(List.of(badId), 96, 99))
                .hasMessageContaining("completion token 120 at position 0 is outside the vocabulary");
        assertThatThrownBy(() -> PaddedBatch.of(List.of(), 96, 99)).hasMessageContaining("batch is empty");
    }

    @Test
    void sequencesAreValidatedAtConstruction() {
        assertThatThrownBy(() -> new TrainingSequence(new int[] {1}, new int[] {5, 6}, new float[] {-1}, 0))
                .hasMessageContaining("behaviourLogProbs has 1 values for 2 completion tokens");
        assertThatThrownBy(() -> new TrainingSequence(new int[] {1}, new int[] {5}, new float[] {Float.NaN}, 0))
                .hasMessageContaining("not a log-probability");
        assertThatThrownBy(() -> new TrainingSequence(new int[] {1}, new int[] {5}, new float[] {-1}, Double.NaN))
                .hasMessageContaining("advantage must be finite");
        assertThatThrownBy(() -> new TrainingSequence(new int[0], new int[] {5}, new float[] {-1}, 0))
                .hasMessageContaining("promptTokens is empty");
    }
}
