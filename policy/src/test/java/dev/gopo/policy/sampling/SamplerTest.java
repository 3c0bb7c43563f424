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
        // Temperature and top-k on purpose: the recorded log-prob must still be the FULL tempered one.
        SamplingConfig config = new SamplingConfig(0.7, 20, 0.95, 30, 123);
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
