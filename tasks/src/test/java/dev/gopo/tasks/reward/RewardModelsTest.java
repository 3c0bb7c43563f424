package dev.gopo.tasks.reward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.tasks.TaskFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RewardModelsTest {
    @TempDir
    Path tmp;

    @Test
    void scoresLikeTheTasksOwnModel() throws Exception {
        Path dir = TaskFixtures.tinyRewardModel(tmp.resolve("rm"));
        try (RewardModels models = RewardModels.load(Map.of("summarise", dir)); RewardModel direct = RewardModel.load(dir)) {
            assertThat(models.covers("summarise")).isTrue();
            assertThat(models.covers("constrained")).isFalse();
            assertThat(models.tasks()).containsExactly("summarise");
            List<String> texts = List.of("sky cat", "dog");
            assertThat(models.scoreGroup("summarise", "sum: sky cat dog", texts))
                    .containsExactly(direct.scoreGroup("sum: sky cat dog", texts));
            assertThat(models.scoreBatch("summarise", List.of("sum: a", "sum: b"), texts))
                    .containsExactly(direct.scoreBatch(List.of("sum: a", "sum: b"), texts));
        }
    }

    @Test
    void anUnknownTaskNamesTheLoadedOnes() throws Exception {
        try (RewardModels models = RewardModels.load(Map.of("summarise", TaskFixtures.tinyRewardModel(tmp.resolve("rm"))))) {
            assertThatThrownBy(() -> models.scoreBatch("constrained", List.of("p"), List.of("c")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'constrained'").hasMessageContaining("summarise");
        }
    }

    @Test
    void aBrokenDirectoryNamesTheTaskAndHowToFixIt() throws Exception {
        Map<String, Path> dirs = new LinkedHashMap<>();
        dirs.put("summarise", TaskFixtures.tinyRewardModel(tmp.resolve("rm")));
        dirs.put("constrained", Files.createDirectories(tmp.resolve("empty")));
        assertThatThrownBy(() -> RewardModels.load(dirs)).hasMessageContaining("task 'constrained'")
                .hasMessageContaining(tmp.resolve("empty").toString()).hasMessageContaining("gopo prepare");
    }
}
