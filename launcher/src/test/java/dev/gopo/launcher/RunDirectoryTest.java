package dev.gopo.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(10)
class RunDirectoryTest {
    @TempDir
    Path tmp;

    @Test
    void aPreviousRunIsClearedAndAForeignDirectoryIsNotTouched() throws Exception {
        Path run = tmp.resolve("run");
        RunDirectory.prepareFresh(run);
        Files.createDirectories(run.resolve("learner/checkpoints"));
        Files.writeString(run.resolve("eval.csv"), "old");
        RunDirectory.prepareFresh(run);
        try (var entries = Files.list(run)) {
            assertThat(entries.map(p -> p.getFileName().toString()).toList()).containsExactly(RunDirectory.MARKER);
        }

        Path foreign = tmp.resolve("mine");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> RunDirectory.prepareFresh(foreign)).hasMessageContaining("not made by gopo run");
        assertThat(Files.readString(foreign.resolve("notes.txt"))).isEqualTo("keep me");

        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        RunDirectory.prepareFresh(empty);
        assertThat(empty.resolve(RunDirectory.MARKER)).exists();
    }
}
