package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.tasks.TaskFixtures;
import dev.gopo.tasks.TaskRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EvaluatorConfigTest {
    private static final String[] MODELS = {"--reference-policy", "/tmp/ref", "--reward-model", "summarise=/tmp/rm-s",
            "--reward-model", "constrained=/tmp/rm-c"};

    private static EvaluatorConfig parse(String... args) throws Exception {
        EvaluatorCommand command = new EvaluatorCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    private static String[] withModels(String... args) {
        String[] all = new String[MODELS.length + args.length];
        System.arraycopy(MODELS, 0, all, 0, MODELS.length);
        System.arraycopy(args, 0, all, MODELS.length, args.length);
        return all;
    }

    @Test
    void defaultsEvaluateEveryTaskAndVersion() throws Exception {
        EvaluatorConfig config = parse(withModels());
        assertThat(config.tasks()).isEqualTo(TaskRegistry.names());
        assertThat(config.evalPrompts()).isEqualTo(EvaluatorDefaults.EVAL_PROMPTS).isEqualTo(128);
        assertThat(config.samplesPerPrompt()).isEqualTo(EvaluatorDefaults.SAMPLES_PER_PROMPT).isEqualTo(4);
        assertThat(config.every()).isEqualTo(1);
        assertThat(config.out()).isEqualTo(Path.of("gopo-work/eval.csv"));
        assertThat(config.bootstrapSamples()).isEqualTo(2000);
        assertThat(config.maxVersions()).isZero();
        assertThat(config.idleTimeout()).isEqualTo(Duration.ZERO);
        assertThat(config.rewardModels()).containsEntry("summarise", Path.of("/tmp/rm-s"));
    }

    @Test
    void tasksAreCanonicalisedAndOnlyListedTasksNeedARewardModel() throws Exception {
        EvaluatorConfig config = parse("--tasks", " Summarise ", "--reference-policy", "r", "--reward-model", "SUMMARISE=d");
        assertThat(config.tasks()).containsExactly("summarise");
    }

    @Test
    void everySelectsVersionsByNumber() throws Exception {
        EvaluatorConfig config = parse(withModels("--every", "5"));
        assertThat(config.selects(0)).isTrue();
        assertThat(config.selects(3)).isFalse();
        assertThat(config.selects(10)).isTrue();
    }

    @Test
    void badValuesSayWhichOptionAndHowToFixIt() {
        // Without explicit models the prepare cache is needed; there is none under the test's working directory.
        assertThatThrownBy(() -> parse("--cache-dir", "no-such-cache")).hasMessageContaining("gopo prepare")
                .hasMessageContaining("--reference-policy");
        assertThatThrownBy(() -> parse("--cache-dir", "no-such-cache", "--reference-policy", "r")).hasMessageContaining("--reward-model");
        assertThatThrownBy(() -> parse(withModels("--tasks", "poetry"))).hasMessageContaining("unknown task 'poetry'");
        assertThatThrownBy(() -> parse(withModels("--tasks", "summarise,summarise"))).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> parse(withModels("--eval-prompts", "0"))).hasMessageContaining("--eval-prompts");
        assertThatThrownBy(() -> parse(withModels("--every", "0"))).hasMessageContaining("--every");
        assertThatThrownBy(() -> parse(withModels("--samples-per-prompt", "0"))).hasMessageContaining("--samples-per-prompt");
        assertThatThrownBy(() -> parse(withModels("--max-new-tokens", "0"))).hasMessageContaining("--max-new-tokens");
        assertThatThrownBy(() -> parse(withModels("--temperature", "0"))).hasMessageContaining("--temperature");
        assertThatThrownBy(() -> parse(withModels("--bootstrap", "10"))).hasMessageContaining("--bootstrap");
        assertThatThrownBy(() -> parse(withModels("--max-versions", "-1"))).hasMessageContaining("--max-versions");
        assertThatThrownBy(() -> parse(withModels("--idle-timeout", "-1"))).hasMessageContaining("--idle-timeout");
        assertThatThrownBy(() -> parse(withModels("--evaluator-id", "a b"))).hasMessageContaining("--evaluator-id");
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void samplesPerPromptIsParsedAndTheOldConstructorMeansOne() throws Exception {
        assertThat(parse(withModels("--samples-per-prompt", "4")).samplesPerPrompt()).isEqualTo(4);
        EvaluatorConfig old = new EvaluatorConfig("e", List.of("summarise"), 8, 1, 41, 1.0, 1L, 100, Path.of("e.csv"),
                Path.of("ref"), Map.of("summarise", Path.of("rm")), 0, Duration.ZERO);
        assertThat(old.samplesPerPrompt()).isEqualTo(1);
        assertThat(old.evalPrompts()).isEqualTo(8);
        assertThat(old.every()).isEqualTo(1);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theCommandsReadTheCache(@TempDir Path tmp) throws Exception {
        Path cache = TaskFixtures.tinyCache(tmp.resolve("cache"), TaskRegistry.names());
        EvaluatorCommand command = new EvaluatorCommand();
        new CommandLine(command).parseArgs("--cache-dir", cache.toString());
        EvaluatorConfig config = command.toConfig();
        assertThat(config.tasks()).isEqualTo(TaskRegistry.names());
        assertThat(config.referencePolicy()).isEqualTo(cache.resolve("reference-policy"));
    }

    @Test
    void resultKeyIsTaskColonVersion() {
        assertThat(EvaluatorConfig.resultKey("summarise", 12)).isEqualTo("summarise:12");
    }
}
