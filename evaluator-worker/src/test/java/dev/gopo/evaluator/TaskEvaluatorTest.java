package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.policy.PolicyModel;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.reward.RewardModel;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-task plumbing: prompts, reference completions, validation reward, judge, row. */
class TaskEvaluatorTest {
    @TempDir
    Path tmp;

    @Test
    void theReferenceAgainstItselfTiesEverywhereAndHasTheReferenceReward() throws Exception {
        Path refDir = tmp.resolve("ref");
        String sha = EvalFixtures.tinyPolicy(refDir, 42);
        Path rmDir = EvalFixtures.tinyRewardModel(tmp.resolve("rm"));
        EvaluatorConfig config = EvalFixtures.config(tmp.resolve("eval.csv"), refDir, rmDir, 0, Duration.ZERO);
        try (RewardModel rm = RewardModel.load(rmDir);
             PolicyModel reference = PolicyModel.loadFrozen(refDir);
             PolicyModel same = PolicyModel.load(refDir, sha)) {
            TaskEvaluator evaluator = new TaskEvaluator(TaskRegistry.byName(EvalFixtures.TASK), rm, reference, config);
            PolicyVersion v0 = EvalFixtures.announcement(0, refDir, sha);
            EvalRow row = evaluator.evaluate(same, v0);

            // Same weights and the same sampling seeds: the same text for every prompt, so all ties.
            assertThat(row.ties()).isEqualTo(4);
            assertThat(row.result().getWinRate()).isEqualTo(0.5);
            assertThat(row.result().getWinRateCiLow()).isEqualTo(0.5);
            assertThat(row.result().getWinRateCiHigh()).isEqualTo(0.5);
            assertThat(row.result().getValidationReward()).isEqualTo(evaluator.referenceReward());
            assertThat(row.result().getNumPrompts()).isEqualTo(4);
            assertThat(row.result().getTask()).isEqualTo("summarise");
            assertThat(row.result().getStep()).isZero();
            assertThat(row.key()).isEqualTo("summarise:0");
            assertThat(row.sha256()).isEqualTo(sha);
            assertThat(row.meanChars()).isBetween(0.0, 12.0);
        }
    }

    @Test
    void anotherPolicyGetsAWinRateInsideItsInterval() throws Exception {
        Path refDir = tmp.resolve("ref");
        EvalFixtures.tinyPolicy(refDir, 42);
        Path otherDir = tmp.resolve("other");
        String sha = EvalFixtures.tinyPolicy(otherDir, 7);
        Path rmDir = EvalFixtures.tinyRewardModel(tmp.resolve("rm"));
        EvaluatorConfig config = EvalFixtures.config(tmp.resolve("eval.csv"), refDir, rmDir, 0, Duration.ZERO);
        try (RewardModel rm = RewardModel.load(rmDir);
             PolicyModel reference = PolicyModel.loadFrozen(refDir);
             PolicyModel other = PolicyModel.load(otherDir, sha)) {
            TaskEvaluator evaluator = new TaskEvaluator(TaskRegistry.byName(EvalFixtures.TASK), rm, reference, config);
            EvalRow row = evaluator.evaluate(other, EvalFixtures.announcement(3, otherDir, sha));
            var r = row.result();
            assertThat(row.wins() + row.ties() + row.losses()).isEqualTo(4);
            assertThat(r.getWinRate()).isEqualTo((row.wins() + row.ties() / 2.0) / 4);
            assertThat(r.getWinRateCiLow()).isLessThanOrEqualTo(r.getWinRate());
            assertThat(r.getWinRateCiHigh()).isGreaterThanOrEqualTo(r.getWinRate());
            assertThat(r.getValidationReward()).isFinite();
            assertThat(r.getStep()).isEqualTo(15);
            // Repeatable: the same version evaluates to the same numbers.
            EvalRow again = evaluator.evaluate(other, EvalFixtures.announcement(3, otherDir, sha));
            assertThat(again.result().getWinRate()).isEqualTo(r.getWinRate());
            assertThat(again.result().getValidationReward()).isEqualTo(r.getValidationReward());
        }
    }
}
