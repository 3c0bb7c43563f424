package dev.gopo.tasks.optim;

import dev.gopo.policy.training.AdamWConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainingScheduleTest {

    @Test
    void badValuesAreRejectedWithAHint() {
        assertThatThrownBy(() -> new TrainingSchedule(0, 32, AdamWConfig.defaults(1e-3), 1, 10))
                .hasMessageContaining("steps must be >= 1");
        assertThatThrownBy(() -> new TrainingSchedule(10, 0, AdamWConfig.defaults(1e-3), 1, 10))
                .hasMessageContaining("32 works well");
        assertThatThrownBy(() -> new TrainingSchedule(10, 32, null, 1, 10))
                .hasMessageContaining("AdamWConfig.defaults");
        assertThatThrownBy(() -> new TrainingSchedule(10, 32, AdamWConfig.defaults(1e-3), 1, 0))
                .hasMessageContaining("logEvery must be >= 1");
    }

    @Test
    void warmUpNeverExceedsTheRun() {
        assertThat(TrainingSchedule.of(10, 8, 1e-3, 50, 1, 5).optimizer().warmupSteps()).isEqualTo(10);
        assertThat(TrainingSchedule.of(500, 8, 1e-3, 50, 1, 5).optimizer().warmupSteps()).isEqualTo(50);
    }
}
