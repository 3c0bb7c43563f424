package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.learner.LearnerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class OnlineTrainingSettingsTest {
    private static OnlineTraining.Settings settings(int generators, int checkpointEvery, long maxStaleness, boolean everyStep) {
        return new OnlineTraining.Settings(300, 16, 8, checkpointEvery, generators, List.of(Estimator.GOPO), 3e-4, 0.04, maxStaleness,
                LearnerConfig.NO_VERSION_BOUND, 128, 4, 5, 42, RewardTransform.parse("identity"), everyStep);
    }

    @Test
    void generatorsShareTheStepBudgetOfTheStalenessBound() {
        OnlineTraining.Settings defaults = settings(3, 10, 25, false);
        assertThat(defaults.stepBudget(0).windowSteps()).isEqualTo(13);
        long perWindow = 0;
        for (int g = 0; g < 3; g++) {
            perWindow += defaults.stepBudget(g).share(13);
        }
        assertThat(perWindow).as("the three shares of 13 steps add up to 13 x 16 groups").isEqualTo(13 * 16);
        assertThat(defaults.lastVersion()).isEqualTo(30);
        assertThat(settings(1, 10, 0, true).lastVersion()).as("a version every step").isEqualTo(300);
        assertThat(settings(1, 10, 0, true).stepBudget(0).windowSteps()).as("lockstep").isEqualTo(1);
    }

    @Test
    void aBoundBelowTheCheckpointIntervalIsRefusedBecauseThePipelineWouldStop() {
        assertThatThrownBy(() -> settings(1, 10, 8, false)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--max-staleness-steps 8 is below --checkpoint-every 10 - 1 = 9")
                .hasMessageContaining("Raise --max-staleness-steps to at least 9");
        assertThat(settings(1, 10, 9, false).stepBudget(0).windowSteps()).isEqualTo(10);
        assertThat(settings(1, 10, 0, true).maxStalenessSteps()).as("a version every step allows lockstep's bound 0").isZero();
        assertThatThrownBy(() -> settings(1, 10, -1, true)).hasMessageContaining("--max-staleness-steps must be >= 0");
    }
}
