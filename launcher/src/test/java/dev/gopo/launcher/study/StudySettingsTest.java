package dev.gopo.launcher.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.PrepareSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

class StudySettingsTest {
    private static StudySettings settings(List<StudyMode> modes, List<Estimator> estimators, List<String> transforms, List<Long> seeds) {
        return new StudySettings(modes, estimators, transforms, seeds, PrepareSettings.defaults().withModelSize(ModelSize.TINY), 4, 2, 4,
                2, 1e-4, 0.04, 8, 4, 1, 1, 4);
    }

    @Test
    void gridRunsEachSeedsRecordingFirstThenItsReplays() {
        StudySettings s = settings(List.of(StudyMode.ONLINE, StudyMode.REPLAY), List.of(Estimator.GRPO, Estimator.GOPO),
                List.of("power:3", "identity"), List.of(1L, 2L));
        List<Cell> cells = s.cells();
        assertThat(cells).hasSize(2 * 2 * 2 * 2);
        for (long seed : List.of(1L, 2L)) {
            List<Cell> block = cells.stream().filter(c -> c.seed() == seed).toList();
            assertThat(block.get(0)).isEqualTo(new Cell(StudyMode.ONLINE, Estimator.GOPO, "identity", seed));
            assertThat(block.subList(0, 4)).allMatch(c -> c.mode() == StudyMode.ONLINE);
            assertThat(block.subList(4, 8)).allMatch(c -> c.mode() == StudyMode.REPLAY);
        }
        assertThat(cells).doesNotHaveDuplicates();
    }

    @Test
    void transformsAreCanonicalAndValidated() {
        assertThat(settings(List.of(StudyMode.ONLINE), List.of(Estimator.GOPO), List.of("power:3.0"), List.of(1L)).transforms())
                .containsExactly("power:3");
        assertThatThrownBy(() -> settings(List.of(StudyMode.ONLINE), List.of(Estimator.GOPO), List.of("cube"), List.of(1L)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> settings(List.of(StudyMode.ONLINE), List.of(Estimator.GOPO), List.of("identity", "identity"), List.of(1L)))
                .hasMessageContaining("--transforms lists a value twice");
    }

    @Test
    void replayNeedsTheOnlineRecording() {
        assertThatThrownBy(() -> settings(List.of(StudyMode.REPLAY), List.of(Estimator.GOPO), List.of("identity"), List.of(1L)))
                .hasMessageContaining("--modes replay needs online");
    }

    @Test
    void cellIdsAreSafeTopicPrefixes() {
        Cell cell = new Cell(StudyMode.REPLAY, Estimator.DR_GRPO, "affine:2:-1", 7);
        assertThat(cell.id()).isEqualTo("replay-DR_GRPO-affine_2_-1-s7");
        assertThat(new dev.gopo.schemas.topic.TopicNames(cell.topicPrefix()).completions()).isEqualTo("study.replay-DR_GRPO-affine_2_-1-s7.completions");
    }
}
