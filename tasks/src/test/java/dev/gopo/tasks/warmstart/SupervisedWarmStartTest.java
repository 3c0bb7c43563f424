package dev.gopo.tasks.warmstart;

import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.optim.TrainingSchedule;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SupervisedWarmStartTest {

    /**
     * A small policy (d=64, 2 layers, ~0.1M parameters): PolicyConfig.tiny() (d=32) needs well over
     * a thousand steps before its samples contain real words, this one about 400.
     */
    private static final PolicyConfig CONFIG =
            new PolicyConfig(Tokenizer.ascii().vocabSize(), 64, 4, 2, 256, 96, true, 42L, "cpu");
    private static final int STEPS = 500;

    @Test
    void referencePolicyBeatsTheUntrainedPolicyOnTheJudge() {
        List<Task> tasks = TaskRegistry.all();
        List<SupervisedExample> examples = SupervisedExample.fromTasks(tasks, 2000, 42);
        TrainingSchedule config = SupervisedWarmStart.schedule(STEPS, 32, 42);
        try (PolicyModel policy = PolicyModel.create(CONFIG, Tokenizer.ascii());
             PolicyModel untrained = PolicyModel.create(CONFIG, Tokenizer.ascii())) {
            WarmStartReport report = new SupervisedWarmStart(config).train(policy, examples);
            WarmStartEvaluation check = WarmStartEvaluation.evaluate(policy, untrained, tasks, 24, 0.5, 42);
            System.out.printf("warm start (%d steps): loss %.3f -> %.3f in %.1f s; judge vs untrained at T=0.5: %s; "
                            + "mean gold %s vs %s%n", STEPS, report.firstLoss(), report.finalLoss(), report.seconds(),
                    check.winRate(), check.candidateGold(), check.baselineGold());
            check.examples().forEach(e -> System.out.println("  " + e));
            assertThat(report.finalLoss()).isLessThan(report.firstLoss() * 0.6);
            assertThat(check.winRate().ciLow()).isGreaterThan(0.5);
        }
    }

    @Test
    void demonstrationThatDoesNotFitTheContextIsRejected() {
        try (PolicyModel policy = PolicyModel.create(PolicyConfig.tiny(), Tokenizer.ascii())) {
            SupervisedExample tooLong = new SupervisedExample("p".repeat(60), "c".repeat(40));
            assertThatThrownBy(() -> new SupervisedWarmStart(SupervisedWarmStart.schedule(1, 32, 1)).train(policy, List.of(tooLong)))
                    .hasMessageContaining("policy context is 96");
        }
    }
}
