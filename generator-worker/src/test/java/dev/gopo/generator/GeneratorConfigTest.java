package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GeneratorConfigTest {
    private static GeneratorConfig parse(String... args) {
        GeneratorCommand command = new GeneratorCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void defaultsWithExternalRewardsNeedOnlyAPolicy() {
        GeneratorConfig c = parse("--init-policy", "p", "--reward-mode", "EXTERNAL");
        assertThat(c.groupSize()).isEqualTo(8);
        assertThat(c.sampling().temperature()).isEqualTo(1.0);
        assertThat(c.promptsPerBatch()).isEqualTo(GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH);
        assertThat(parse("--init-policy", "p", "--reward-mode", "EXTERNAL", "--prompts-per-batch", "1").promptsPerBatch()).isEqualTo(1);
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> parse("--reward-mode", "EXTERNAL")).hasMessageContaining("--init-policy");
        assertThatThrownBy(() -> parse("--init-policy", "p")).hasMessageContaining("--reward-mode INLINE needs reward models");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--reward-mode", "EXTERNAL", "-G", "1")).hasMessageContaining("--group-size");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--reward-mode", "EXTERNAL", "--temperature", "0")).hasMessageContaining("temperature");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--reward-mode", "EXTERNAL", "--top-p", "1.5")).hasMessageContaining("topP");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--reward-mode", "EXTERNAL", "--prompts-per-batch", "0"))
                .hasMessageContaining("--prompts-per-batch must be >= 1");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--reward-mode", "SOMETIMES"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("SOMETIMES");
    }
}
