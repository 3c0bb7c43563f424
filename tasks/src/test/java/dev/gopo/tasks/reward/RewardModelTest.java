package dev.gopo.tasks.reward;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RewardModelTest {

    private static final String PROMPT = "sum: sky cat fig cat map sky dog";

    @Test
    void sameConfigGivesSameScoresAndBatchEqualsSingle() {
        try (RewardModel a = RewardModel.create(RewardModelConfig.tiny());
             RewardModel b = RewardModel.create(RewardModelConfig.tiny())) {
            List<String> completions = List.of("sky cat", "", "cat", "zzz qqq xxx yyy", "sky cat dog fig map");
            double[] batch = a.scoreGroup(PROMPT, completions);
            assertThat(b.scoreGroup(PROMPT, completions)).containsExactly(batch);
            for (int i = 0; i < completions.size(); i++) {
                assertThat(a.score(PROMPT, completions.get(i))).isCloseTo(batch[i],
                        org.assertj.core.data.Offset.offset(1e-5));
            }
            assertThat(a.contentHash()).isEqualTo(b.contentHash());
        }
    }

    @Test
    void overlongAndNonAsciiCompletionsAreScored() {
        try (RewardModel model = RewardModel.create(RewardModelConfig.tiny())) {
            String longCompletion = "word ".repeat(200);
            assertThat(model.score(PROMPT, longCompletion)).isFinite();
            assertThat(model.score(PROMPT, "caf\u00e9 \u2603")).isFinite();
        }
    }

    @Test
    void saveAndLoadRoundTripWithHashCheck(@TempDir Path dir) throws IOException {
        try (RewardModel model = RewardModel.create(RewardModelConfig.tiny().withSeed(3))) {
            String sha = model.save(dir);
            assertThat(sha).isEqualTo(model.contentHash()).hasSize(64);
            try (RewardModel loaded = RewardModel.load(dir)) {
                assertThat(loaded.config()).isEqualTo(model.config());
                assertThat(loaded.score(PROMPT, "sky cat")).isEqualTo(model.score(PROMPT, "sky cat"));
            }
            assertThatThrownBy(() -> RewardModel.load(dir, "0".repeat(64)))
                    .isInstanceOf(IOException.class).hasMessageContaining("was expected");
            byte[] bytes = Files.readAllBytes(dir.resolve(RewardModel.WEIGHTS_FILE));
            bytes[bytes.length - 1] ^= 1;
            Files.write(dir.resolve(RewardModel.WEIGHTS_FILE), bytes);
            assertThatThrownBy(() -> RewardModel.load(dir))
                    .isInstanceOf(IOException.class).hasMessageContaining("corrupt or was replaced");
        }
    }

    @Test
    void badConfigSaysHowToFixIt() {
        assertThatThrownBy(() -> new RewardModelConfig(99, 30, 4, 1, 64, 40, 12, 1))
                .hasMessageContaining("multiple of nHeads");
        assertThatThrownBy(() -> new RewardModelConfig(50, 32, 4, 1, 64, 40, 12, 1))
                .hasMessageContaining("set vocabSize to 99");
    }

    @Test
    void mismatchedListsAreRejected() {
        try (RewardModel model = RewardModel.create(RewardModelConfig.tiny())) {
            assertThatThrownBy(() -> model.scoreBatch(List.of("a"), List.of()))
                    .hasMessageContaining("one completion per prompt");
        }
    }
}
