package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.generator.GeneratorConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** {@code gopo run}'s options turned into a run's settings, without running it ({@link RunCommand#settings()}). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RunCommandTest {

    private static OnlineTraining.Settings training(String... args) {
        CommandLine cli = Gopo.commandLine();
        cli.parseArgs(Stream.concat(Stream.of("run"), Stream.of(args)).toArray(String[]::new));
        RunCommand run = cli.getSubcommands().get("run").getCommand();
        return run.settings().training();
    }

    @Test
    void promptsPerBatchDefaultsToTheGeneratorsDefaultAndReachesEveryGeneratorStarted() {
        assertThat(training().promptsPerBatch()).isEqualTo(GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH);
        OnlineTraining.Settings settings = training("--prompts-per-batch", "2", "--generators", "3");
        assertThat(settings.promptsPerBatch()).isEqualTo(2);
        for (int g = 0; g < settings.generators(); g++) {
            GeneratorConfig generator = settings.generatorConfig(g, "gopo.generators", Path.of("policy"), Map.of("summarise", Path.of("rm")));
            assertThat(generator.promptsPerBatch()).as("generator-" + g).isEqualTo(2);
            assertThat(generator.generatorId()).isEqualTo("generator-" + g);
        }
        assertThat(training("--prompts-per-batch", "1").promptsPerBatch()).as("one group per forward pass").isEqualTo(1);
    }

    @Test
    void promptsPerBatchBelowOneIsRefusedBeforeAnythingStartsWithTheGeneratorsMessage() {
        for (String bad : List.of("0", "-3")) {
            assertThatThrownBy(() -> training("--prompts-per-batch", bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("--prompts-per-batch must be >= 1 (1 = one prompt's group per forward pass), got " + bad);
        }
    }

    @Test
    void promptsPerBatchThatIsNotANumberIsAParseErrorNamingTheOption() {
        StringWriter err = new StringWriter();
        CommandLine cli = Gopo.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("run", "--prompts-per-batch", "four")).isNotZero();
        assertThat(err.toString()).contains("--prompts-per-batch").contains("four");
    }

    @Test
    void helpShowsPromptsPerBatchWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine cli = Gopo.commandLine();
        cli.setOut(new PrintWriter(out));
        assertThat(cli.execute("run", "--help")).isZero();
        assertThat(out.toString()).contains("--prompts-per-batch=N")
                .containsPattern("batched forward pass[^-]*Default: " + GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH);
    }
}
