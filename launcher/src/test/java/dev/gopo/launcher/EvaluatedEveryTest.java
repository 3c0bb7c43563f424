package dev.gopo.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(10)
class EvaluatedEveryTest {

    @Test
    void theLastVersionIsAlwaysEvaluated() {
        assertThat(OnlineTraining.evaluatedEvery(30, 5)).isEqualTo(5);
        assertThat(OnlineTraining.evaluatedEvery(2, 5)).isEqualTo(2);
        assertThat(OnlineTraining.evaluatedEvery(12, 5)).isEqualTo(4);
        assertThat(OnlineTraining.evaluatedEvery(7, 5)).isEqualTo(1);
        assertThat(OnlineTraining.evaluatedEvery(30, 1)).isEqualTo(1);
    }
}
