package dev.gopo.policy.sampling;

import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.TestModels;
import dev.gopo.policy.Tokenizer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SamplerTest {

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

    @Test
    void kvCacheLogProbsEqualTrainingPathLogProbs() {
        // Temperature on purpose, no truncation: the recorded log-prob is the tempered one the learner computes.
        SamplingConfig config = new SamplingConfig(0.7, 0, 1.0, 30, 123);
        List<SampledCompletion> group = sampler.sampleGroup(model, prompt, 4, config);
        assertThat(group).hasSize(4);
        for (SampledCompletion c : group) {
            float[] full = TestModels.logProbs(model, TestModels.concat(prompt, c.tokens()), 0.7);
            float[] recorded = c.logProbs();
            for (int k = 0; k < c.length(); k++) {
                float training = full[prompt.length - 1 + k];
                assertThat(Math.abs(recorded[k] - training))
                        .as("token %d: sampled %f vs training %f", k, recorded[k], training)
                        .isLessThan(1e-4f);
                // so the on-policy importance ratio exp(logp - oldLogp) is 1
                assertThat(Math.exp(training - recorded[k])).isBetween(1 - 1e-4, 1 + 1e-4);
            }
        }
    }

    /**
     * With top-p the recorded log-prob is that of the renormalised nucleus actually sampled:
     * {@code log(p_token / kept_mass)}, where p is the full tempered distribution at that position
     * (read from the training-path logits) and the nucleus is rebuilt by hand from it.
     */
    @Test
    @org.junit.jupiter.api.Timeout(60)
    void topPLogProbsAreThoseOfTheRenormalisedNucleus() {
        double temperature = 0.8;
        double topP = 0.6;
        SamplingConfig config = new SamplingConfig(temperature, 0, topP, 12, 77);
        List<SampledCompletion> group = sampler.sampleGroup(model, prompt, 3, config);
        int truncatedTokens = 0;
        for (SampledCompletion c : group) {
            int[] sequence = TestModels.concat(prompt, c.tokens());
            double[][] rows = fullDistributions(sequence, temperature);
            for (int k = 0; k < c.length(); k++) {
                double[] p = rows[prompt.length - 1 + k];
                int token = c.tokens()[k];
                // the nucleus: most likely first (ties by id) until the cumulative mass reaches topP
                Integer[] order = new Integer[p.length];
                for (int i = 0; i < p.length; i++) {
                    order[i] = i;
                }
                java.util.Arrays.sort(order, (a, b) -> p[a] != p[b] ? Double.compare(p[b], p[a]) : Integer.compare(a, b));
                double kept = 0;
                java.util.Set<Integer> nucleus = new java.util.HashSet<>();
                for (int i = 0; i < order.length && kept < topP; i++) {
                    kept += p[order[i]];
                    nucleus.add(order[i]);
                }
                assertThat(nucleus).as("token %d drawn from the nucleus", k).contains(token);
                double expected = Math.log(p[token] / kept);
                assertThat((double) c.logProbs()[k]).as("token %d", k).isCloseTo(expected, within(2e-4));
                if (kept < 0.999) {
                    truncatedTokens++;
                    assertThat((double) c.logProbs()[k]).isGreaterThan(Math.log(p[token]) + 1e-4);
                }
            }
        }
        assertThat(truncatedTokens).as("the test exercises real truncation").isPositive();
    }

    /** The full tempered next-token distribution at every position of a sequence, from the training-path logits. */
    private static double[][] fullDistributions(int[] sequence, double temperature) {
        try (ai.djl.ndarray.NDManager step = model.manager().newSubManager()) {
            ai.djl.ndarray.NDArray tokens = step.create(sequence, new ai.djl.ndarray.types.Shape(1, sequence.length));  // (1, L)
            ai.djl.ndarray.NDArray logits = model.logits(tokens, null);                                                 // (1, L, V)
            float[] flat = logits.div((float) temperature).softmax(-1).toFloatArray();
            int vocab = model.config().vocabSize();
            double[][] rows = new double[sequence.length][vocab];
            for (int t = 0; t < sequence.length; t++) {
                for (int v = 0; v < vocab; v++) {
                    rows[t][v] = flat[t * vocab + v];
                }
            }
            return rows;
        }
    }

    @Test
    void kvCachePathEqualsRecomputePathForTheSameSeed() {
        SamplingConfig config = new SamplingConfig(1.0, 0, 1.0, 25, 99);
        List<SampledCompletion> cached = sampler.sampleGroup(model, prompt, 3, config);
        List<SampledCompletion> recomputed = sampler.sampleGroupWithoutCache(model, prompt, 3, config);
        for (int i = 0; i < 3; i++) {
            assertThat(cached.get(i).tokens()).containsExactly(recomputed.get(i).tokens());
            float[] a = cached.get(i).logProbs();
            float[] b = recomputed.get(i).logProbs();
            for (int k = 0; k < a.length; k++) {
                assertThat(Math.abs(a[k] - b[k])).isLessThan(1e-4f);
            }
        }
        assertThat(sampler.sample(model, prompt, config).tokens())
                .containsExactly(sampler.sampleWithoutCache(model, prompt, config).tokens());
    }

    @Test
    void seededSamplingIsRepeatableAndSeedsMatter() {
        SamplingConfig config = SamplingConfig.defaults(20, 5);
        List<SampledCompletion> first = sampler.sampleGroup(model, prompt, 4, config);
        List<SampledCompletion> second = sampler.sampleGroup(model, prompt, 4, config);
        assertThat(second).isEqualTo(first);
        List<SampledCompletion> other = sampler.sampleGroup(model, prompt, 4, config.withSeed(6));
        assertThat(other).isNotEqualTo(first);
        // rows of a group use different streams
        assertThat(first.get(0).tokens()).isNotEqualTo(first.get(1).tokens());
        // a single sample is row 0 of the group with the same seed (log-probs agree to float
        // rounding only: batch 1 and batch 4 take different matmul kernels)
        SampledCompletion single = sampler.sample(model, prompt, config);
        assertThat(single.tokens()).containsExactly(first.get(0).tokens());
        assertThat(single.totalLogProb()).isCloseTo(first.get(0).totalLogProb(), within(1e-3));
    }

    @Test
    void completionsStopAtEosOrAtTheLimit() {
        SamplingConfig config = SamplingConfig.defaults(40, 17);
        for (SampledCompletion c : sampler.sampleGroup(model, prompt, 8, config)) {
            int[] tokens = c.tokens();
            assertThat(tokens.length).isBetween(1, 40);
            for (int k = 0; k < tokens.length - 1; k++) {
                assertThat(tokens[k]).isNotEqualTo(Tokenizer.EOS);
            }
            if (c.endedWithEos()) {
                assertThat(tokens[tokens.length - 1]).isEqualTo(Tokenizer.EOS);
            } else {
                assertThat(tokens).hasSize(40);
            }
        }
    }

    @Test
    void promptPlusCompletionMustFitTheContext() {
        int[] longPrompt = new int[90];
        java.util.Arrays.fill(longPrompt, 10);
        SamplingConfig config = SamplingConfig.defaults(10, 1);
        assertThatThrownBy(() -> sampler.sampleGroup(model, longPrompt, 2, config))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prompt of 90 tokens plus maxNewTokens 10 exceeds the model context 96");
        // exactly full is fine
        assertThat(sampler.sample(model, java.util.Arrays.copyOf(longPrompt, 86), config).length()).isPositive();
    }

    @Test
    void badPromptsAreRejected() {
        SamplingConfig config = SamplingConfig.defaults(5, 1);
        assertThatThrownBy(() -> sampler.sample(model, new int[0], config)).hasMessageContaining("prompt is empty");
        assertThatThrownBy(() -> sampler.sample(model, new int[] {1, 500}, config))
                .hasMessageContaining("prompt token 500 at position 1");
        assertThatThrownBy(() -> new SamplingConfig(0, 0, 1, 5, 1)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new SamplingConfig(1, 0, 0, 5, 1)).hasMessageContaining("topP");
    }
}
