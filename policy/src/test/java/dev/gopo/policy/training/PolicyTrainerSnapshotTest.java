package dev.gopo.policy.training;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.TestModels;
import dev.gopo.policy.Tokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot written after more steps, on another thread, is the checkpoint {@code save} would have written when it was taken. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class PolicyTrainerSnapshotTest {
    private static final TrainerConfig CONFIG = new TrainerConfig(new LossConfig(0.2, 0.2, 0.04),
            new AdamWConfig(1e-3, 2, 0.9, 0.999, 1e-8, 0.01, 1.0), 1.0);

    private static List<TrainingSequence> batch(int seed) {
        int[] prompt = Tokenizer.ascii().encodePrompt("snap" + seed);
        List<TrainingSequence> out = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int[] tokens = {40 + i, 41 + seed % 7, 42 + i, 43};
            float[] logProbs = {-4.5f, -4.5f, -4.5f, -4.5f};
            out.add(new TrainingSequence(prompt, tokens, logProbs, 1.5 - i));
        }
        return out;
    }

    private static final List<String> FILES = List.of("policy/weights.bin", "policy/config.json", "reference/weights.bin",
            PolicyTrainer.OPTIMIZER_FILE, PolicyTrainer.TRAINER_FILE);

    @Test
    void aSnapshotWrittenLaterOnAnotherThreadEqualsASaveAtItsStep(@TempDir Path dir) throws Exception {
        Path direct = dir.resolve("direct");
        Path fromSnapshot = dir.resolve("snapshot");
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (PolicyTrainer trainer = PolicyTrainer.create(TestModels.tinyModel(), CONFIG)) {
            trainer.step(batch(1));
            trainer.save(direct);
            PolicyTrainer.Snapshot snapshot = trainer.snapshot();
            assertThat(snapshot.step()).isEqualTo(1);
            assertThat(snapshot.policy().contentHash()).isEqualTo(trainer.policy().contentHash());
            // the next steps change weights and moments in place; the snapshot must not see them
            trainer.step(batch(2));
            trainer.step(batch(3));
            assertThat(trainer.policy().contentHash()).isNotEqualTo(snapshot.policy().contentHash());
            writer.submit(() -> {
                try (snapshot) {
                    snapshot.save(fromSnapshot);
                }
                return null;
            }).get();
        } finally {
            writer.shutdown();
        }
        for (String file : FILES) {
            assertThat(Files.readAllBytes(fromSnapshot.resolve(file))).as(file).isEqualTo(Files.readAllBytes(direct.resolve(file)));
        }
        try (PolicyTrainer restored = PolicyTrainer.load(fromSnapshot, CONFIG); PolicyModel saved = PolicyModel.load(direct.resolve("policy"))) {
            assertThat(restored.steps()).isEqualTo(1);
            assertThat(restored.policy().contentHash()).isEqualTo(saved.contentHash());
        }
    }
}
