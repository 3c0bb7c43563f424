package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.learner.bench.StepFlops;
import dev.gopo.policy.PolicyConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class StepFlopsTest {
    @Test
    void countsTwoFlopsPerMatrixWeightPlusAttentionPerPositionAndFourPassesPerStep() {
        // d = 4, 1 layer, MLP 8, vocabulary 10; 3 sequences of T = 5 tokens -> 3 x 4 = 12 input positions
        PolicyConfig model = new PolicyConfig(10, 4, 2, 1, 8, 16, true, 1L, "cpu");
        StepFlops flops = new StepFlops(model, 3, 5);
        // matrices: qkv 3*16 + out 16 + up 32 + down 32 = 128 weights -> 256; attention 4 * (T-1) * d = 64; head 2 * 4 * 10 = 80
        assertThat(flops.forwardPerPosition()).isEqualTo(256 + 64 + 80);
        assertThat(flops.positions()).isEqualTo(12);
        assertThat(flops.perStep()).isEqualTo(4.0 * 400 * 12);
        // the small model: about 1.86 MFLOP per position at 64 tokens (roughly 2 x its 0.89M parameters, embeddings excluded)
        assertThat(new StepFlops(PolicyConfig.small(), 32, 64).forwardPerPosition()).isBetween(1.8e6, 1.9e6);
        assertThatThrownBy(() -> new StepFlops(model, 0, 5)).hasMessageContaining("at least one sequence");
    }
}
