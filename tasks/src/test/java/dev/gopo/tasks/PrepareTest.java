package dev.gopo.tasks;

import dev.gopo.policy.PolicyModel;
import dev.gopo.tasks.reward.RewardModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cache behaviour of {@link Prepare}. A first prepare with tiny models and a few steps is built
 * once; each test works on its own copy of it.
 */
class PrepareTest {

    static final PrepareSettings SETTINGS = PrepareSettings.defaults()
            .withModelSize(ModelSize.TINY).withSteps(20, 20).withSeed(1).withDataSizes(200, 400, 100, 4);

    @TempDir
    static Path template;
    static String firstOutput;

    @TempDir
    Path cache;

    @BeforeAll
    static void buildOnce() throws IOException {
        firstOutput = prepare(SETTINGS, template);
        System.out.println(firstOutput);
    }

    @Test
    void firstPrepareBuildsEverythingAndWritesAManifest() throws IOException {
        assertThat(firstOutput).contains("reference policy: building (not in the cache)",
                "reward model summarise: building (not in the cache)", "reward model constrained: building");
        PrepareManifest manifest = PrepareManifest.read(template);
        assertThat(manifest.settings()).isEqualTo(SETTINGS);
        assertThat(manifest.rewardModels()).containsOnlyKeys("summarise", "constrained");
        assertThat(manifest.referencePolicy().files()).containsKeys("config.json", "tokenizer.json", "weights.bin");
        assertThat(manifest.rewardModels().get("summarise").metrics()).containsKeys(Prepare.METRIC_HELD_OUT_ACCURACY);
        assertThat(manifest.referencePolicy().metrics()).containsKeys(Prepare.METRIC_WIN_RATE);
    }

    @Test
    void secondPrepareWithTheSameSettingsReusesTheCache() throws IOException {
        copyTemplate();
        Path weights = cache.resolve("reward-models/summarise/weights.bin");
        FileTime before = Files.getLastModifiedTime(weights);
        String output = prepare(SETTINGS, cache);
        assertThat(output).contains("reference policy: cached", "reward model summarise: cached",
                "reward model constrained: cached").doesNotContain("building");
        assertThat(Files.getLastModifiedTime(weights)).isEqualTo(before);
    }

    @Test
    void changedSettingRebuildsOnlyTheArtifactsThatDependOnIt() throws IOException {
        copyTemplate();
        String output = prepare(SETTINGS.withSteps(20, 21), cache);
        assertThat(output).contains("reference policy: cached",
                "reward model summarise: building (settings changed)",
                "reward model constrained: building (settings changed)");
        assertThat(PrepareManifest.read(cache).settings().rmSteps()).isEqualTo(21);
    }

    @Test
    void tamperedFileIsRejectedByWorkersAndRebuiltByPrepare() throws IOException {
        copyTemplate();
        Path weights = cache.resolve("reward-models/constrained/weights.bin");
        byte[] bytes = Files.readAllBytes(weights);
        bytes[bytes.length - 1] ^= 1;
        Files.write(weights, bytes);

        assertThatThrownBy(() -> PreparedArtifacts.open(cache))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("is not intact")
                .hasMessageContaining("modified or corrupt")
                .hasMessageContaining("gopo prepare");

        String output = prepare(SETTINGS, cache);
        assertThat(output).contains("reference policy: cached", "reward model summarise: cached",
                "reward model constrained: building (file ");
        assertThat(PreparedArtifacts.open(cache).rewardModelDir("constrained")).exists();
    }

    @Test
    void artifactsGiveWorkersLoadableModels() throws IOException {
        PreparedArtifacts artifacts = PreparedArtifacts.open(template);
        assertThat(artifacts.tasks()).containsExactly("summarise", "constrained");
        try (PolicyModel policy = PolicyModel.load(artifacts.referencePolicyDir(), artifacts.referencePolicySha256())) {
            assertThat(policy.config()).isEqualTo(ModelSize.TINY.policyConfig(1));
        }
        try (RewardModel rm = artifacts.rewardModel(TaskRegistry.byName("summarise"))) {
            assertThat(rm.score("sum: sky cat fig cat map sky dog", "sky cat")).isFinite();
        }
        assertThat(artifacts.rewardModelAccuracy("constrained")).isBetween(0.0, 1.0);
        assertThatThrownBy(() -> artifacts.rewardModel("translate")).hasMessageContaining("known tasks are");
    }

    @Test
    void missingCacheSaysToRunPrepare() {
        assertThatThrownBy(() -> PreparedArtifacts.open(cache.resolve("nothing")))
                .isInstanceOf(IOException.class).hasMessageContaining("run `gopo prepare");
    }

    @Test
    void badSettingsAreRejectedWithAHint() {
        assertThatThrownBy(() -> SETTINGS.withTasks(List.of("summarise", "nope")))
                .hasMessageContaining("known tasks are [summarise, constrained]");
        assertThatThrownBy(() -> SETTINGS.withSteps(0, 10)).hasMessageContaining("sftSteps must be >= 1");
        assertThatThrownBy(() -> ModelSize.parse("huge")).hasMessageContaining("use tiny or small");
    }

    @Test
    void keysChangeWithTheSettingsTheyDependOn() {
        assertThat(SETTINGS.policyKey()).isEqualTo(SETTINGS.withSteps(20, 99).policyKey());
        assertThat(SETTINGS.policyKey()).isNotEqualTo(SETTINGS.withSteps(21, 20).policyKey());
        assertThat(SETTINGS.rewardModelKey("summarise")).isNotEqualTo(SETTINGS.rewardModelKey("constrained"));
        assertThat(SETTINGS.rewardModelKey("summarise")).isNotEqualTo(SETTINGS.withSeed(2).rewardModelKey("summarise"));
    }

    static String prepare(PrepareSettings settings, Path dir) throws IOException {
        StringWriter text = new StringWriter();
        new Prepare(settings, dir, new PrintWriter(text)).run();
        return text.toString();
    }

    private void copyTemplate() throws IOException {
        try (Stream<Path> walk = Files.walk(template)) {
            for (Path source : walk.toList()) {
                Path target = cache.resolve(template.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
