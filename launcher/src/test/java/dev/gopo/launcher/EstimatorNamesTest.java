package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.learner.LearnerConfig;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.ranker.advantage.Estimator;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The learner announces the estimator it trains with on every policy version; evaluations and run reports put it
 * next to the ranker's {@code AdvantageGroup.estimator}, so both must spell it as the ranker's enum does. The
 * learner does not depend on the ranker, hence this check where both are on the class path.
 */
@Timeout(10)
class EstimatorNamesTest {
    @Test
    void theLearnerNamesEveryEstimatorAsTheRankerDoes() {
        for (Estimator e : Estimator.values()) {
            LearnerConfig config = new LearnerConfig("learner-0", e.topicSuffix(), 1, 10, LearnerConfig.NO_VERSION_BOUND, 1, false,
                    Path.of("work"), Path.of("init"), TrainerConfig.defaults(1e-3), 0, Duration.ZERO, 12);
            assertThat(config.estimatorName()).as(e.topicSuffix()).isEqualTo(e.name());
        }
        assertThat(Estimator.DR_GRPO.topicSuffix()).as("the suffix that selects the constant loss normaliser")
                .isEqualTo(LearnerConfig.DR_GRPO_SUFFIX);
    }
}
