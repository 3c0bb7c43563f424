package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.policy.PolicyModel;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.reward.RewardModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
            // Hidden gold quality: the same text as the reference's, so the same mean.
            assertThat(row.result().getSamplesPerPrompt()).isEqualTo(1);
            assertThat(row.result().getGoldQuality()).isEqualTo(evaluator.referenceGoldQuality());
            assertThat(row.result().getReferenceGoldQuality()).isEqualTo(evaluator.referenceGoldQuality()).isBetween(0.0, 1.0);
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
            assertThat(r.getGoldQuality()).isFinite();
            assertThat(r.getReferenceGoldQuality()).isEqualTo(evaluator.referenceGoldQuality());
            assertThat(r.getStep()).isEqualTo(15);
            // Repeatable: the same version evaluates to the same numbers.
            EvalRow again = evaluator.evaluate(other, EvalFixtures.announcement(3, otherDir, sha));
            assertThat(again.result().getWinRate()).isEqualTo(r.getWinRate());
            assertThat(again.result().getValidationReward()).isEqualTo(r.getValidationReward());
            assertThat(again.result().getGoldQuality()).isEqualTo(r.getGoldQuality());
        }
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void severalSamplesPerPromptAreAllJudgedAndTheFirstSampleKeepsItsSeed() throws Exception {
        Path refDir = tmp.resolve("ref");
        String refSha = EvalFixtures.tinyPolicy(refDir, 42);
        Path otherDir = tmp.resolve("other");
        String sha = EvalFixtures.tinyPolicy(otherDir, 7);
        Path rmDir = EvalFixtures.tinyRewardModel(tmp.resolve("rm"));
        EvaluatorConfig one = EvalFixtures.config(tmp.resolve("eval.csv"), refDir, rmDir, 0, Duration.ZERO, 1);
        EvaluatorConfig three = EvalFixtures.config(tmp.resolve("eval.csv"), refDir, rmDir, 0, Duration.ZERO, 3);
        try (RewardModel rm = RewardModel.load(rmDir);
             PolicyModel reference = PolicyModel.loadFrozen(refDir);
             PolicyModel same = PolicyModel.load(refDir, refSha);
             PolicyModel other = PolicyModel.load(otherDir, sha)) {
            TaskEvaluator single = new TaskEvaluator(TaskRegistry.byName(EvalFixtures.TASK), rm, reference, one);
            TaskEvaluator triple = new TaskEvaluator(TaskRegistry.byName(EvalFixtures.TASK), rm, reference, three);

            // The reference against itself: 4 prompts x 3 samples, every pair the same text.
            EvalRow tie = triple.evaluate(same, EvalFixtures.announcement(0, refDir, refSha));
            assertThat(tie.ties()).isEqualTo(12);
            assertThat(tie.result().getWinRateCiLow()).isEqualTo(0.5);
            assertThat(tie.result().getWinRateCiHigh()).isEqualTo(0.5);
            assertThat(tie.result().getNumPrompts()).isEqualTo(4);
            assertThat(tie.result().getSamplesPerPrompt()).isEqualTo(3);

            EvalRow row = triple.evaluate(other, EvalFixtures.announcement(3, otherDir, sha));
            assertThat(row.wins() + row.ties() + row.losses()).isEqualTo(12);
            assertThat(row.result().getWinRate()).isEqualTo((row.wins() + row.ties() / 2.0) / 12);
            assertThat(row.result().getWinRateCiLow()).isLessThanOrEqualTo(row.result().getWinRate());
            assertThat(row.result().getWinRateCiHigh()).isGreaterThanOrEqualTo(row.result().getWinRate());
            assertThat(row.result().getGoldQuality()).isBetween(0.0, 1.0);
            // Sample 0 of prompt i keeps seed + i, so K = 1 evaluations are unchanged and K = 3 contains them.
            EvalRow first = single.evaluate(other, EvalFixtures.announcement(3, otherDir, sha));
            assertThat(row.wins()).isGreaterThanOrEqualTo(first.wins());
            assertThat(row.losses()).isGreaterThanOrEqualTo(first.losses());
        }
    }
}
