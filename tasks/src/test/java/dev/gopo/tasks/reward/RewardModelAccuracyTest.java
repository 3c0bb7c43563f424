package dev.gopo.tasks.reward;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each built-in task's reward model, trained briefly at the tiny size, orders held-out preference
 * pairs (prompts of the eval split) far better than chance. Floors are set below the accuracies
 * measured on this machine with these exact settings (see the README), which are deterministic.
 */
class RewardModelAccuracyTest {

    private static final int STEPS = 400;

    @ParameterizedTest(name = "{0}: held-out accuracy >= {1} vs raters, >= {2} vs gold")
    @CsvSource({"summarise, 0.80, 0.85", "constrained, 0.72, 0.75"})
    void heldOutPairwiseAccuracyIsWellAboveChance(String name, double labelFloor, double goldFloor) {
        Task task = TaskRegistry.byName(name);
        PreferenceData data = PreferenceData.build(task, 8000, 1000, 0.05, 42);
        try (RewardModel model = RewardModel.create(RewardModelConfig.tiny())) {
            PairwiseAccuracy before = PairwiseAccuracy.evaluate(model, data.heldOut());
            RewardTrainingReport report = new RewardModelTrainer(RewardModelTrainer.schedule(STEPS, 32, 42))
                    .train(name, model, data.train(), data.heldOut());
            System.out.printf("reward model %s (tiny, %d steps, %d train pairs): held-out accuracy %.4f vs raters, "
                            + "%.4f vs gold over %d pairs (untrained %.4f); train %.4f; %.1f s%n",
                    name, STEPS, data.train().size(), report.heldOut().labelAccuracy(), report.heldOut().goldAccuracy(),
                    report.heldOut().pairs(), before.labelAccuracy(), report.train().labelAccuracy(), report.seconds());
            assertThat(report.heldOut().pairs()).isGreaterThanOrEqualTo(1000);
            assertThat(report.heldOut().labelAccuracy()).isGreaterThanOrEqualTo(labelFloor);
            assertThat(report.heldOut().goldAccuracy()).isGreaterThanOrEqualTo(goldFloor);
        }
    }
}
