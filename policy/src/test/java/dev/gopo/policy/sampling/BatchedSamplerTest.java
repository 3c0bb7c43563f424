package dev.gopo.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.TestModels;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.StepResult;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.policy.training.TrainingSequence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The batched group path ({@link Sampler#sampleGroup}: one {@code (G, 1)} forward per step against a
 * {@code (G, ...)} KV cache) against the G-sequences-one-after-another path
 * ({@link Sampler#sampleGroupSequentially}) and against a full, right-padded forward recompute of
 * all G sequences at once, the way the learner scores them.
 */
@Timeout(120)
class BatchedSamplerTest {

    private static final int MAX_NEW = 40;
    private static PolicyModel model;
    private final Sampler sampler = new Sampler();
    private final int[] prompt = Tokenizer.ascii().encodePrompt("Summarise: the cat sat.");

    @BeforeAll
    static void createModel() {
        model = TestModels.tinyModel();
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 8, 16})
    void aGroupHasOneWellFormedCompletionPerRow(int groupSize) {
        List<SampledCompletion> group = sampler.sampleGroup(model, prompt, groupSize, SamplingConfig.defaults(MAX_NEW, 3));
        assertThat(group).hasSize(groupSize);
        int vocab = model.config().vocabSize();
        for (SampledCompletion c : group) {
            assertThat(c.tokens()).hasSameSizeAs(c.logProbs());
            assertThat(c.length()).isBetween(1, MAX_NEW);
            for (int t : c.tokens()) {
                assertThat(t).isBetween(0, vocab - 1).isNotEqualTo(Tokenizer.PAD);
            }
            for (float lp : c.logProbs()) {
                assertThat(lp).isFinite().isLessThanOrEqualTo(0f);
            }
        }
    }

    /**
     * Same seed, same rows: row {@code r} of the batch draws exactly the tokens of the batch-1 pass with
     * row {@code r}'s random stream, and ends the same way; log-probs agree to float rounding.
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void batchedRowsEqualTheSequentialRows(int groupSize) {
        SamplingConfig config = new SamplingConfig(0.9, 0, 1.0, MAX_NEW, 11);
        List<SampledCompletion> batched = sampler.sampleGroup(model, prompt, groupSize, config);
        List<SampledCompletion> sequential = sampler.sampleGroupSequentially(model, prompt, groupSize, config);
        assertThat(batched).hasSize(groupSize);
        assertThat(sequential).hasSize(groupSize);
        for (int r = 0; r < groupSize; r++) {
            assertThat(batched.get(r).tokens()).as("row %d tokens", r).containsExactly(sequential.get(r).tokens());
            assertThat(batched.get(r).endedWithEos()).as("row %d end", r).isEqualTo(sequential.get(r).endedWithEos());
            float[] a = batched.get(r).logProbs();
            float[] b = sequential.get(r).logProbs();
            for (int k = 0; k < a.length; k++) {
                assertThat(a[k]).as("row %d token %d", r, k).isCloseTo(b[k], within(1e-4f));
            }
        }
        // the rows are distinct streams, not one row copied G times
        assertThat(batched.stream().map(c -> java.util.Arrays.toString(c.tokens())).distinct().count()).isGreaterThan(groupSize / 2);
    }

    /**
     * Rows stop at EOS (recorded, nothing after it) or at the limit, independently: a row that stopped is
     * fed PAD while the others go on, and that neither changes the rows still running nor leaks into the
     * stopped row's record. The seed is one where some rows stop early and others run on after them.
     */
    @Test
    void rowsStopIndependentlyAtEosOrAtTheLimit() {
        SamplingConfig config = SamplingConfig.defaults(MAX_NEW, 17);
        int groupSize = 16;
        List<SampledCompletion> batched = sampler.sampleGroup(model, prompt, groupSize, config);
        List<SampledCompletion> sequential = sampler.sampleGroupSequentially(model, prompt, groupSize, config);
        for (int r = 0; r < groupSize; r++) {
            SampledCompletion c = batched.get(r);
            int[] tokens = c.tokens();
            for (int k = 0; k < tokens.length - 1; k++) {
                assertThat(tokens[k]).as("row %d: EOS only as the last token", r).isNotEqualTo(Tokenizer.EOS);
            }
            if (c.endedWithEos()) {
                assertThat(tokens[tokens.length - 1]).isEqualTo(Tokenizer.EOS);
            } else {
                assertThat(tokens).as("row %d ran to the limit", r).hasSize(MAX_NEW);
            }
            assertThat(tokens).as("row %d equals its own batch-1 run", r).containsExactly(sequential.get(r).tokens());
        }
        // ...and the seed exercises what this test is about
        int shortest = batched.stream().mapToInt(SampledCompletion::length).min().orElseThrow();
        int longest = batched.stream().mapToInt(SampledCompletion::length).max().orElseThrow();
        assertThat(batched).as("the seed gives rows that stop at EOS").anyMatch(SampledCompletion::endedWithEos);
        assertThat(longest).as("some rows run on after the first one stopped").isGreaterThan(shortest);
    }

    /**
     * The behaviour log-probs of a batched group equal a full forward over the right-padded {@code (G, T)}
     * batch of prompt + completion, {@code log_softmax(logits / temperature)[token]} (the learner's
     * {@code logp_theta}; no truncation here, so the two are the same quantity).
     */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void behaviourLogProbsEqualAFullBatchedRecompute(int groupSize) {
        double temperature = 0.7;
        List<SampledCompletion> group = sampler.sampleGroup(model, prompt, groupSize,
                new SamplingConfig(temperature, 0, 1.0, MAX_NEW, 29));
        int length = prompt.length + group.stream().mapToInt(SampledCompletion::length).max().orElseThrow();
        int[] flat = new int[groupSize * length];                                      // right padded with PAD = 0
        for (int r = 0; r < groupSize; r++) {
            int[] row = TestModels.concat(prompt, group.get(r).tokens());
            System.arraycopy(row, 0, flat, r * length, row.length);
        }
        float[] full;
        try (NDManager step = model.manager().newSubManager()) {
            NDArray tokens = step.create(flat, new Shape(groupSize, length));          // (G, T)
            full = model.tokenLogProbs(tokens, temperature).toFloatArray();            // (G, T-1)
        }
        for (int r = 0; r < groupSize; r++) {
            float[] recorded = group.get(r).logProbs();
            for (int k = 0; k < recorded.length; k++) {
                float recomputed = full[r * (length - 1) + prompt.length - 1 + k];
                assertThat(recorded[k]).as("row %d token %d", r, k).isCloseTo(recomputed, within(1e-4f));
            }
        }
    }

    /**
     * Several prompts of different lengths in one batch (left padded, padding masked): each group is
     * the one {@link Sampler#sampleGroup} gives for its prompt and seed alone, and its log-probs are the
     * unpadded training-path log-probs of prompt + completion.
     */
    @Test
    void severalGroupsInOneBatchEqualEachGroupSampledAlone() {
        Tokenizer tokenizer = Tokenizer.ascii();
        List<int[]> prompts = List.of(tokenizer.encodePrompt("Summarise: the cat sat."), tokenizer.encodePrompt("Hi."),
                tokenizer.encodePrompt("Summarise: a dog ran in the park today."));
        List<SamplingConfig> configs = List.of(new SamplingConfig(0.8, 0, 1.0, 30, 5), new SamplingConfig(0.8, 0, 1.0, 30, 6),
                new SamplingConfig(0.8, 0, 1.0, 30, 7));
        int groupSize = 4;
        List<List<SampledCompletion>> together = sampler.sampleGroups(model, prompts, groupSize, configs);
        assertThat(together).hasSize(3);
        for (int p = 0; p < prompts.size(); p++) {
            List<SampledCompletion> alone = sampler.sampleGroup(model, prompts.get(p), groupSize, configs.get(p));
            assertThat(together.get(p)).hasSize(groupSize);
            for (int r = 0; r < groupSize; r++) {
                SampledCompletion c = together.get(p).get(r);
                assertThat(c.tokens()).as("prompt %d row %d", p, r).containsExactly(alone.get(r).tokens());
                assertThat(c.endedWithEos()).isEqualTo(alone.get(r).endedWithEos());
                float[] full = TestModels.logProbs(model, TestModels.concat(prompts.get(p), c.tokens()), 0.8);
                for (int k = 0; k < c.length(); k++) {
                    assertThat(c.logProbs()[k]).as("prompt %d row %d token %d", p, r, k)
                            .isCloseTo(full[prompts.get(p).length - 1 + k], within(1e-4f));
                }
            }
        }
    }

    @Test
    void groupsInOneBatchMustShareEverythingButTheSeed() {
        List<int[]> prompts = List.of(prompt, prompt);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sampler.sampleGroups(model, prompts, 2,
                        List.of(SamplingConfig.defaults(10, 1), new SamplingConfig(0.5, 0, 1.0, 10, 2))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must share temperature");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sampler.sampleGroups(model, prompts, 2, List.of(SamplingConfig.defaults(10, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one SamplingConfig per prompt");
    }

    /** The learner's importance ratio on a fresh batched group of 16, before any update, is 1. */
    @Test
    void theTrainersFirstStepRatioOnABatchedGroupIsOne() {
        // Sampled from the shared model, trained on a fresh copy of the same weights (same seed), as a
        // generator samples from its own loaded copy of the version the learner trains.
        List<SampledCompletion> group = sampler.sampleGroup(model, prompt, 16, SamplingConfig.defaults(MAX_NEW, 41));
        List<TrainingSequence> batch = new ArrayList<>();
        for (int r = 0; r < group.size(); r++) {
            batch.add(new TrainingSequence(prompt, group.get(r).tokens(), group.get(r).logProbs(), r % 2 == 0 ? 1.0 : -1.0));
        }
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), TrainerConfig.defaults(1e-3))) {
            StepResult result = trainer.step(batch);
            assertThat(result.ratioMean()).isCloseTo(1.0, within(1e-4));
            assertThat(result.clipFraction()).isZero();
        }
    }
}
