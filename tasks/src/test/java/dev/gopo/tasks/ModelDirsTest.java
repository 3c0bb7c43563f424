package dev.gopo.tasks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelDirsTest {
    @TempDir
    Path tmp;

    @Test
    void takesEverythingFromThePrepareCache() throws Exception {
        Path cache = TaskFixtures.tinyCache(tmp.resolve("cache"), List.of("summarise"));
        ModelDirs dirs = ModelDirs.resolve(cache, null, null, Map.of(), true);
        assertThat(dirs.referencePolicy()).isEqualTo(cache.resolve("reference-policy"));
        assertThat(dirs.tasks()).containsExactly("summarise");
        assertThat(dirs.rewardModels()).containsEntry("summarise", cache.resolve("reward-models/summarise"));
    }

    @Test
    void explicitDirectoriesOverrideTheCache() throws Exception {
        Path cache = TaskFixtures.tinyCache(tmp.resolve("cache"), List.of("summarise"));
        ModelDirs dirs = ModelDirs.resolve(cache, tmp.resolve("my-ref"), List.of("Summarise"), Map.of(), true);
        assertThat(dirs.referencePolicy()).isEqualTo(tmp.resolve("my-ref"));
        assertThat(dirs.rewardModels()).containsEntry("summarise", cache.resolve("reward-models/summarise"));
    }

    @Test
    void needsNoCacheWhenTheExplicitDirectoriesCoverEverything() throws Exception {
        Path noCache = tmp.resolve("absent");
        ModelDirs evaluator = ModelDirs.resolve(noCache, tmp.resolve("ref"), List.of("summarise"), Map.of("summarise", tmp.resolve("rm")), true);
        assertThat(evaluator.tasks()).containsExactly("summarise");
        ModelDirs producer = ModelDirs.resolve(noCache, null, null, Map.of("constrained", tmp.resolve("rm")), false);
        assertThat(producer.tasks()).containsExactly("constrained");
        assertThat(producer.referencePolicy()).isNull();
        assertThat(Files.exists(noCache)).isFalse();
    }

    @Test
    void aMissingOrTamperedCacheSaysHowToFixIt() throws Exception {
        assertThatThrownBy(() -> ModelDirs.resolve(tmp.resolve("absent"), null, null, Map.of(), true))
                .hasMessageContaining("gopo prepare").hasMessageContaining("--reference-policy");
        Path cache = TaskFixtures.tinyCache(tmp.resolve("cache"), List.of("summarise"));
        Files.writeString(cache.resolve("reward-models/summarise/config.json"), "{}");
        assertThatThrownBy(() -> ModelDirs.resolve(cache, null, null, Map.of(), true)).hasMessageContaining("not intact");
    }

    @Test
    void aTaskTheCacheLacksIsAnError() throws Exception {
        Path cache = TaskFixtures.tinyCache(tmp.resolve("cache"), List.of("summarise"));
        assertThatThrownBy(() -> ModelDirs.resolve(cache, null, List.of("constrained"), Map.of(), true))
                .hasMessageContaining("no reward model for task 'constrained'");
    }

    @Test
    void rewardModelSpecsMustBeTaskEqualsDir() {
        assertThatThrownBy(() -> RewardModelDirs.parse(java.util.List.of("summarise"))).hasMessageContaining("TASK=DIR");
        assertThatThrownBy(() -> RewardModelDirs.parse(java.util.List.of("summarise=a", "summarise=b"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> RewardModelDirs.parse(java.util.List.of("nope=a"))).hasMessageContaining("unknown task");
    }
}
