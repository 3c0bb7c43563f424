package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path dir;

    private static CheckpointStore.TrainerWriter writes(String content) {
        return d -> {
            Files.createDirectories(d);
            Files.writeString(d.resolve("state"), content);
        };
    }

    @Test
    void latestIsTheLastCompleteCheckpointWithItsOffsetsAndLedger() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 1);
        assertThat(store.latest()).isEmpty();
        store.save(5, 1, Map.of("adv-0", 10L), List.of("g1", "g2"), writes("a"));
        store.save(10, 2, Map.of("adv-0", 20L, "adv-1", 3L), List.of("g3"), writes("b"));
        Checkpoint latest = store.latest().orElseThrow();
        assertThat(latest.step()).isEqualTo(10);
        assertThat(latest.policyVersion()).isEqualTo(2);
        assertThat(latest.offsets()).containsEntry("adv-0", 20L).containsEntry("adv-1", 3L);
        assertThat(Files.readString(latest.trainerDir().resolve("state"))).isEqualTo("b");
        // Pruning dropped the old trainer state but kept the ledger.
        assertThat(store.all()).extracting(Checkpoint::trainedGroups).containsExactly(List.of("g1", "g2"), List.of("g3"));
        assertThat(store.all().get(0).trainerDir()).doesNotExist();
    }

    @Test
    void aCrashDuringSaveLeavesThePreviousCheckpointAndIsCleanedUp() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        store.save(5, 1, Map.of("adv-0", 10L), List.of("g1"), writes("a"));
        assertThatThrownBy(() -> store.save(10, 2, Map.of("adv-0", 20L), List.of("g2"), d -> {
            Files.createDirectories(d);
            throw new IOException("disk full");
        })).hasMessageContaining("disk full");
        assertThat(store.latest().orElseThrow().step()).isEqualTo(5);
        assertThat(dir.resolve("step-00000010.tmp")).exists();
        CheckpointStore reopened = new CheckpointStore(dir, 2);
        assertThat(dir.resolve("step-00000010.tmp")).doesNotExist();
        assertThat(reopened.latest().orElseThrow().offsets()).containsEntry("adv-0", 10L);
    }

    @Test
    void aPointerToAMissingCheckpointIsAClearError() throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        Files.writeString(dir.resolve("LATEST"), "step-00000099");
        assertThatThrownBy(store::latest).hasMessageContaining("step-00000099").hasMessageContaining("modified by hand");
    }
}
