package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@link Generator#batchCapacity}: prompts per batch, capped by what the step budget and maxGroupsPerVersion leave. */
class BatchCapacityTest {
    @Test
    void promptsPerBatchWhenNothingElseLimits() {
        assertThat(Generator.batchCapacity(4, Long.MAX_VALUE, Long.MAX_VALUE)).isEqualTo(4);
        assertThat(Generator.batchCapacity(1, 100, 100)).isEqualTo(1);
    }

    @Test
    void neverMoreGroupsThanTheBudgetOrTheVersionLimitLeaves() {
        assertThat(Generator.batchCapacity(4, 3, Long.MAX_VALUE)).isEqualTo(3);
        assertThat(Generator.batchCapacity(4, Long.MAX_VALUE, 2)).isEqualTo(2);
        assertThat(Generator.batchCapacity(4, 1, 2)).isEqualTo(1);
        assertThat(Generator.batchCapacity(4, 0, 5)).isZero();
        assertThat(Generator.batchCapacity(4, -2, 5)).as("over budget (never expected): nothing").isZero();
    }
}
