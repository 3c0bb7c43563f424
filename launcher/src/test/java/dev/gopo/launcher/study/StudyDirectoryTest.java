package dev.gopo.launcher.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.PrepareSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyDirectoryTest {
    @TempDir
    Path tmp;

    private static StudySettings settings(int steps) {
        return new StudySettings(List.of(StudyMode.ONLINE, StudyMode.REPLAY), List.of(Estimator.GOPO, Estimator.GRPO),
                List.of("identity"), List.of(1L), PrepareSettings.defaults().withModelSize(ModelSize.TINY), steps, 2, 4, 2, 1e-4, 0.04, 8,
                4, 1, 1, 4);
    }

    @Test
    void resumesOnlyWithTheSameSettings() throws Exception {
        StudyDirectory dir = new StudyDirectory(tmp.resolve("study"));
        dir.open(settings(4).describe());
        dir.open(settings(4).describe());
        assertThatThrownBy(() -> dir.open(settings(6).describe())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("steps was 4, now 6");
    }

    @Test
    void refusesADirectoryNoStudyMade() throws Exception {
        Files.createDirectories(tmp.resolve("other"));
        Files.writeString(tmp.resolve("other/notes.txt"), "mine");
        assertThatThrownBy(() -> new StudyDirectory(tmp.resolve("other")).open(settings(4).describe()))
                .hasMessageContaining("is not empty");
        assertThat(tmp.resolve("other/notes.txt")).exists();
    }

    @Test
    void finishedCellKeepsOnlyItsFinalPolicy() throws Exception {
        StudyDirectory dir = new StudyDirectory(tmp.resolve("study"));
        Cell cell = new Cell(StudyMode.ONLINE, Estimator.GOPO, "identity", 1);
        Path cellDir = dir.freshCellDir(cell);
        Files.createDirectories(cellDir.resolve("learner/policies/v-000002"));
        Files.writeString(cellDir.resolve("learner/policies/v-000002/weights.bin"), "w");
        Files.createDirectories(cellDir.resolve("learner/checkpoints/step-2"));
        Files.createDirectories(cellDir.resolve("ranker-state"));
        assertThat(dir.isDone(cell)).isFalse();
        dir.finishCell(cell, 2);
        assertThat(dir.isDone(cell)).isTrue();
        assertThat(cellDir.resolve("final-policy/weights.bin")).hasContent("w");
        assertThat(cellDir.resolve("learner")).doesNotExist();
        assertThat(cellDir.resolve("ranker-state")).doesNotExist();
        assertThat(dir.finalPolicies(List.of(cell))).containsEntry(cell, cellDir.resolve("final-policy"));
    }

    @Test
    void aSeedsPartlyDoneReplaysStartOver() throws Exception {
        StudySettings settings = settings(4);
        StudyDirectory dir = new StudyDirectory(tmp.resolve("study"));
        Cell online = new Cell(StudyMode.ONLINE, Estimator.GOPO, "identity", 1);
        Cell replayed = new Cell(StudyMode.REPLAY, Estimator.GOPO, "identity", 1);
        for (Cell cell : List.of(online, replayed)) {
            Files.createDirectories(dir.cellDir(cell));
            Files.writeString(dir.cellDir(cell).resolve(StudyDirectory.DONE), "finished\n");
        }
        dir.forgetPartialReplayBlocks(settings);
        assertThat(dir.isDone(online)).isTrue();
        assertThat(dir.isDone(replayed)).as("GRPO's replay is not done, so GOPO's must run again on the same recording").isFalse();
    }
}
