package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.TestModels;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.sampling.SampledCompletion;
import dev.gopo.policy.sampling.Sampler;
import dev.gopo.policy.sampling.SamplingConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class PolicyTrainerTest {

    private static final double TEMPERATURE = 1.0;
    private static final TrainerConfig CONFIG = new TrainerConfig(new LossConfig(0.2, 0.2, 0.04),
            new AdamWConfig(1e-3, 2, 0.9, 0.999, 1e-8, 0.01, 1.0), TEMPERATURE);

    /** A GOPO-style group: G = 4 sampled completions with rank advantages +2, +2/3, -2/3, -2. */
    private static List<TrainingSequence> group(PolicyModel model, String prompt, long seed) {
        int[] promptTokens = Tokenizer.ascii().encodePrompt(prompt);
        List<SampledCompletion> completions = new Sampler().sampleGroup(model, promptTokens, 4,
                new SamplingConfig(TEMPERATURE, 0, 1.0, 12, seed));
        double[] advantages = {2, 2.0 / 3, -2.0 / 3, -2};
        List<TrainingSequence> batch = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            SampledCompletion c = completions.get(i);
            batch.add(new TrainingSequence(promptTokens, c.tokens(), c.logProbs(), advantages[i]));
        }
        return batch;
    }

    private static Map<String, float[]> snapshot(PolicyModel model) {
        Map<String, float[]> copy = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : model.weights().asMap().entrySet()) {
            copy.put(e.getKey(), e.getValue().toFloatArray());
        }
        return copy;
    }

    @Test
    void firstStepIsOnPolicyAndChangesEveryParameter() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            List<TrainingSequence> batch = group(trainer.policy(), "hello", 1);
            Map<String, float[]> before = snapshot(trainer.policy());
            String referenceHash = trainer.reference().contentHash();

            StepResult result = trainer.step(batch);

            assertThat(result.step()).isEqualTo(1);
            assertThat(result.loss()).isFinite();
            assertThat(result.ratioMean()).isCloseTo(1.0, within(1e-4));
            assertThat(result.kl()).isCloseTo(0.0, within(1e-6));
            assertThat(result.clipFraction()).isZero();
            assertThat(result.gradNorm()).isPositive().isFinite();
            assertThat(result.tokens()).isEqualTo(batch.stream().mapToInt(s -> s.completionTokens().length).sum());
            assertThat(result.lr()).isCloseTo(5e-4, within(1e-12)); // warm-up step 1 of 2
            Map<String, float[]> after = snapshot(trainer.policy());
            for (String name : before.keySet()) {
                assertThat(after.get(name)).as("parameter %s must change", name).isNotEqualTo(before.get(name));
            }
            assertThat(trainer.reference().contentHash()).as("reference stays frozen").isEqualTo(referenceHash);

            StepResult stale = trainer.step(batch);
            assertThat(stale.ratioMean()).isNotCloseTo(1.0, within(1e-6));
            assertThat(stale.kl()).isPositive();
        }
    }

    @Test
    void updatesRaiseTheLikelihoodOfPositiveAdvantageCompletions() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            List<TrainingSequence> batch = group(trainer.policy(), "rank me", 2);
            double bestBefore = totalLogProb(trainer.policy(), batch.get(0));
            double worstBefore = totalLogProb(trainer.policy(), batch.get(3));
            for (int i = 0; i < 5; i++) {
                trainer.step(batch);
            }
            assertThat(totalLogProb(trainer.policy(), batch.get(0))).isGreaterThan(bestBefore);
            assertThat(totalLogProb(trainer.policy(), batch.get(3))).isLessThan(worstBefore);
        }
    }

    @Test
    void checkpointRestoresAnIdenticalNextStep(@TempDir Path dir) throws Exception {
        Path checkpoint = dir.resolve("step-1");
        StepResult expected;
        String expectedHash;
        List<TrainingSequence> second;
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            trainer.step(group(trainer.policy(), "first", 3));
            trainer.save(checkpoint);
            second = group(trainer.policy(), "second", 4);
            expected = trainer.step(second);
            expectedHash = trainer.policy().contentHash();
        }
        try (PolicyTrainer restored = PolicyTrainer.load(checkpoint, CONFIG)) {
            assertThat(restored.steps()).isEqualTo(1);
            assertThat(restored.reference().isFrozen()).isTrue();
            StepResult actual = restored.step(second);
            assertThat(actual.step()).isEqualTo(2);
            assertThat(actual.loss()).isEqualTo(expected.loss());
            assertThat(actual.gradNorm()).isEqualTo(expected.gradNorm());
            assertThat(actual.lr()).isEqualTo(expected.lr());
            assertThat(restored.policy().contentHash()).isEqualTo(expectedHash);
        }
    }

    @Test
    void stepsWorkOnAThreadThatDidNotStartTheEngine() throws Exception {
        // PyTorch's grad mode is per thread and only the engine's first thread has it off; the
        // learner steps on its own consumer thread, where in-place updates must still be legal.
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                // sampling from the trained policy (weights require gradients) on that thread too
                List<TrainingSequence> batch = pool.submit(() -> group(trainer.policy(), "threads", 5)).get();
                StepResult first = pool.submit(() -> trainer.step(batch)).get();
                StepResult second = pool.submit(() -> trainer.step(batch)).get();
                assertThat(first.ratioMean()).isCloseTo(1.0, within(1e-4));
                assertThat(second.step()).isEqualTo(2);
                assertThat(second.loss()).isFinite();
            } finally {
                pool.shutdown();
            }
        }
    }

    @Test
    void aFrozenModelCannotBeTrained() {
        try (PolicyModel model = TestModels.tinyModel()) {
            PolicyModel frozen = model.copyFrozen();
            assertThatThrownBy(() -> PolicyTrainer.create(frozen, CONFIG))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("frozen");
            frozen.close();
        }
    }

    @Test
    void tooLongSequenceIsRejectedBeforeAnythingChanges() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            String hash = trainer.policy().contentHash();
            float[] logProbs = new float[20];
            java.util.Arrays.fill(logProbs, -1f);
            TrainingSequence tooLong = new TrainingSequence(new int[90], new int[20], logProbs, 1.0);
            assertThatThrownBy(() -> trainer.step(List.of(tooLong)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than the model context 96");
            assertThat(trainer.policy().contentHash()).isEqualTo(hash);
            assertThat(trainer.steps()).isZero();
        }
    }

    /**
     * Behaviour log-probs of -200 (probability e^-200, which no sampler of this model records) used
     * to make the ratio exp(logp + 200) overflow float32 and the step NaN. The log-ratio is now
     * clamped to 20, so the step is finite and applied.
     */
    @Test
    void absurdBehaviourLogProbsNoLongerMakeTheStepNonFinite() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            TrainingSequence first = group(trainer.policy(), "hello", 1).get(3);
            float[] absurd = new float[first.behaviourLogProbs().length];
            java.util.Arrays.fill(absurd, -200f);
            StepResult result = trainer.step(List.of(
                    new TrainingSequence(first.promptTokens(), first.completionTokens(), absurd, -2.0)));
            assertThat(result.loss()).isFinite().isGreaterThan(1e8);          // 2 * e^20 per token
            assertThat(result.gradNorm()).isFinite();
            assertThat(result.recomputed()).isFalse();
            assertThat(trainer.steps()).isEqualTo(1);
        }
    }

    /**
     * An advantage of -3e38 (finite, but 1.2 times it is not a float32) overflows the loss however
     * the ratio is bounded: the step is rejected without touching the weights or the optimizer,
     * and the next, sane step trains normally.
     */
    @Test
    void nonFiniteStepIsRejectedAndLeavesTheModelAsItWas() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            List<TrainingSequence> sane = group(trainer.policy(), "hello", 1);
            TrainingSequence first = sane.get(3);   // negative advantage: the unclipped term is selected
            TrainingSequence poisoned = new TrainingSequence(first.promptTokens(), first.completionTokens(),
                    first.behaviourLogProbs(), -3e38);
            String hash = trainer.policy().contentHash();

            assertThatThrownBy(() -> trainer.step(List.of(poisoned)))
                    .isInstanceOfSatisfying(NonFiniteStepException.class,
                            e -> assertThat(Double.isFinite(e.loss()) && Double.isFinite(e.gradNorm())).isFalse())
                    .hasMessageContaining("update skipped, weights unchanged");
            assertThat(trainer.policy().contentHash()).isEqualTo(hash);
            assertThat(trainer.steps()).isZero();

            StepResult next = trainer.step(sane);
            assertThat(next.step()).isEqualTo(1);
            assertThat(next.gradNorm()).isFinite();
            assertThat(next.ratioMean()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-3));
        }
    }

    /**
     * Dr. GRPO's constant normaliser on the same first step: the loss and the (pre-clip) gradient
     * norm are the token-mean ones times {@code tokens / (maxCompletionTokens * G)} = tokens / (20 * 4)
     * (the sampled completions have at most 12 tokens), the token-mean metrics are unchanged.
     */
    @Test
    void theConstantNormaliserScalesLossAndGradientByTokensOverBudgetTimesCompletions() {
        StepResult mean;
        StepResult constant;
        List<TrainingSequence> batch;
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            batch = group(trainer.policy(), "scale", 6);
            mean = trainer.step(batch);
        }
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            constant = trainer.step(batch, LossNormaliser.constant(20));
        }
        double factor = mean.tokens() / (20.0 * 4);
        assertThat(factor).isLessThan(1.0);
        assertThat(constant.loss()).isCloseTo(mean.loss() * factor, within(1e-6 * Math.abs(mean.loss())));
        assertThat(constant.gradNorm()).isCloseTo(mean.gradNorm() * factor, within(1e-5 * mean.gradNorm()));
        assertThat(constant.policyLoss()).isEqualTo(mean.policyLoss());
        assertThat(constant.tokens()).isEqualTo(mean.tokens());
    }

    @Test
    void aCompletionLongerThanTheConstantBudgetIsRejectedBeforeAnythingChanges() {
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            List<TrainingSequence> batch = group(trainer.policy(), "budget", 7);
            String hash = trainer.policy().contentHash();
            assertThatThrownBy(() -> trainer.step(batch, LossNormaliser.constant(1)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than maxCompletionTokens 1");
            assertThat(trainer.policy().contentHash()).isEqualTo(hash);
            assertThat(trainer.steps()).isZero();
        }
    }

    private static double totalLogProb(PolicyModel model, TrainingSequence s) {
        int[] prompt = s.promptTokens();
        float[] lp = TestModels.logProbs(model, TestModels.concat(prompt, s.completionTokens()), TEMPERATURE);
        double sum = 0;
        for (int k = 0; k < s.completionTokens().length; k++) {
            sum += lp[prompt.length - 1 + k];
        }
        return sum;
    }
}
