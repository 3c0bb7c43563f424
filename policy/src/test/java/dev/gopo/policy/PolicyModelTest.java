package dev.gopo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PolicyModelTest {

    private static int[] randomTokens(int length, long seed) {
        Random random = new Random(seed);
        int[] tokens = new int[length];
        for (int i = 0; i < length; i++) {
            tokens[i] = 4 + random.nextInt(95);
        }
        return tokens;
    }

    @Test
    void tokenLogProbsHaveShapeBxTminus1AndAreLogProbabilities() {
        try (PolicyModel model = TestModels.tinyModel();
             NDManager step = model.manager().newSubManager()) {
            NDArray tokens = step.create(TestModels.concat(randomTokens(10, 1), randomTokens(10, 2)), new Shape(2, 10));
            NDArray logp = model.tokenLogProbs(tokens, 1.0);
            assertThat(logp.getShape()).isEqualTo(new Shape(2, 9));
            for (float v : logp.toFloatArray()) {
                assertThat(v).isLessThanOrEqualTo(0f).isGreaterThan(-20f);
            }
        }
    }

    @Test
    void causalMaskChangingALaterTokenNeverChangesEarlierLogProbs() {
        try (PolicyModel model = TestModels.tinyModel()) {
            int[] base = randomTokens(40, 3);
            float[] before = TestModels.logProbs(model, base, 1.0);
            for (int changed : new int[] {5, 20, 39}) {
                int[] edited = base.clone();
                edited[changed] = edited[changed] == 50 ? 51 : 50;
                float[] after = TestModels.logProbs(model, edited, 1.0);
                // Column j scores token j+1 from tokens 0..j: columns before changed-1 see nothing new.
                for (int j = 0; j < changed - 1; j++) {
                    assertThat(after[j]).as("column %d after editing token %d", j, changed).isEqualTo(before[j]);
                }
                // Column changed-1 scores the edited token itself, and later columns see it: they differ.
                assertThat(after[changed - 1]).isNotEqualTo(before[changed - 1]);
            }
        }
    }

    @Test
    void sameSeedSameWeightsOtherSeedOtherWeights() {
        try (PolicyModel a = TestModels.tinyModel(11);
             PolicyModel b = TestModels.tinyModel(11);
             PolicyModel c = TestModels.tinyModel(12)) {
            assertThat(a.contentHash()).isEqualTo(b.contentHash());
            assertThat(a.contentHash()).isNotEqualTo(c.contentHash());
        }
    }

    @Test
    void saveAndLoadGiveIdenticalOutputsAndHash(@TempDir Path dir) throws IOException {
        int[] tokens = randomTokens(30, 4);
        try (PolicyModel model = TestModels.tinyModel()) {
            String sha = model.save(dir);
            assertThat(sha).hasSize(64).isEqualTo(model.contentHash());
            assertThat(PolicyModel.sha256(dir.resolve(PolicyModel.WEIGHTS_FILE))).isEqualTo(sha);
            assertThat(dir.resolve(PolicyModel.CONFIG_FILE)).exists();
            assertThat(dir.resolve(PolicyModel.TOKENIZER_FILE)).exists();
            try (PolicyModel loaded = PolicyModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.tokenizer()).isEqualTo(model.tokenizer());
                assertThat(loaded.contentHash()).isEqualTo(sha);
                assertThat(TestModels.logProbs(loaded, tokens, 0.8)).containsExactly(TestModels.logProbs(model, tokens, 0.8));
                assertThat(loaded.save(dir.resolve("again"))).isEqualTo(sha);
            }
        }
    }

    @Test
    void loadRefusesWeightsThatDoNotMatchTheExpectedHash(@TempDir Path dir) throws IOException {
        try (PolicyModel model = TestModels.tinyModel()) {
            model.save(dir);
        }
        assertThatThrownBy(() -> PolicyModel.load(dir, "00" + "ab".repeat(31)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("was expected");
        byte[] bytes = Files.readAllBytes(dir.resolve(PolicyModel.WEIGHTS_FILE));
        bytes[bytes.length - 1] ^= 1;
        Files.write(dir.resolve(PolicyModel.WEIGHTS_FILE), bytes);
        assertThatThrownBy(() -> PolicyModel.load(dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("corrupt");
    }

    @Test
    void frozenCopyComputesTheSameAndRefusesGradients() {
        int[] tokens = randomTokens(20, 5);
        try (PolicyModel model = TestModels.tinyModel();
             PolicyModel frozen = model.copyFrozen()) {
            assertThat(frozen.isFrozen()).isTrue();
            assertThat(frozen.contentHash()).isEqualTo(model.contentHash());
            assertThat(TestModels.logProbs(frozen, tokens, 1.0)).containsExactly(TestModels.logProbs(model, tokens, 1.0));
            assertThatThrownBy(frozen::attachGradients).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void temperatureScalesTheDistribution() {
        int[] tokens = randomTokens(12, 6);
        try (PolicyModel model = TestModels.tinyModel()) {
            float[] t1 = TestModels.logProbs(model, tokens, 1.0);
            float[] t2 = TestModels.logProbs(model, tokens, 2.0);
            assertThat(t2).isNotEqualTo(t1);
            assertThatThrownBy(() -> TestModels.logProbs(model, tokens, 0.0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("temperature");
        }
    }

    @Test
    void vocabularyMismatchIsRejected() {
        PolicyConfig wrong = new PolicyConfig(120, 32, 2, 2, 64, 64, true, 1, "cpu");
        assertThatThrownBy(() -> PolicyModel.create(wrong, Tokenizer.ascii()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("set vocabSize to tokenizer.vocabSize()");
    }

    @Test
    void sequenceLongerThanContextIsRejected() {
        try (PolicyModel model = TestModels.tinyModel()) {
            int[] tokens = randomTokens(model.config().maxSeqLen() + 2, 7);
            assertThatThrownBy(() -> TestModels.logProbs(model, tokens, 1.0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("exceeds the model context 96");
        }
    }

    @Test
    void aForwardPassLeavesNothingBehindInTheModelManager() {
        try (PolicyModel model = TestModels.tinyModel()) {
            int before = model.manager().getManagedArrays().size();
            TestModels.logProbs(model, randomTokens(16, 8), 1.0);
            assertThat(model.manager().getManagedArrays()).hasSize(before);
        }
    }

    @Test
    void untiedHeadHasItsOwnMatrix() {
        PolicyConfig untied = new PolicyConfig(99, 32, 2, 1, 64, 32, false, 1, "cpu");
        try (PolicyModel model = PolicyModel.create(untied, Tokenizer.ascii())) {
            assertThat(model.weights().asMap()).containsKey("head.weight");
            float[] lp = TestModels.logProbs(model, randomTokens(8, 9), 1.0);
            assertThat(lp).hasSize(7);
            assertThat(lp[0]).isCloseTo((float) -Math.log(99), within(0.5f));
        }
    }
}
