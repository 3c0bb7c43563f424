package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import dev.gopo.generator.RewardMode;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GopoCliTest {
    @Test
    void everyCommandHasHelp() {
        CommandLine cli = Gopo.commandLine();
        assertThat(cli.getSubcommands()).containsKeys("run", "infra", "smoke");
        for (String name : cli.getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            StringWriter out = new StringWriter();
            CommandLine fresh = Gopo.commandLine();
            fresh.setOut(new PrintWriter(out));
            assertThat(fresh.execute(name, "--help")).as(name).isZero();
            assertThat(out.toString()).as(name).contains("Usage: gopo " + name).contains("--help");
        }
    }

    @Test
    void badOptionValueIsAClearErrorWithExitCode() {
        StringWriter err = new StringWriter();
        CommandLine cli = Gopo.commandLine();
        cli.setErr(new PrintWriter(err));
        assertThat(cli.execute("smoke", "--records", "many")).isNotZero();
        assertThat(err.toString()).contains("--records").contains("many");

        StringWriter err2 = new StringWriter();
        CommandLine cli2 = Gopo.commandLine();
        cli2.setErr(new PrintWriter(err2));
        assertThat(cli2.execute("smoke", "--bootstrap-servers", "nohostport")).isEqualTo(1);
        assertThat(err2.toString()).contains("--bootstrap-servers 'nohostport'");
    }

    @Test
    void enumValuesInAnyCase() {
        for (String size : List.of("SMALL", "small", "Tiny")) {
            ParseResult parsed = Gopo.commandLine().parseArgs("run", "--model-size", size);
            assertThat(parsed.subcommand().commandSpec().findOption("--model-size").<Enum<?>>getValue().name()).isEqualToIgnoringCase(size);
        }
        for (String mode : List.of("EXTERNAL", "external")) {
            ParseResult parsed = Gopo.commandLine().parseArgs("generator", "--reward-mode", mode);
            assertThat(parsed.subcommand().commandSpec().findOption("--reward-mode").<RewardMode>getValue()).isEqualTo(RewardMode.EXTERNAL);
        }
    }

    @Test
    void everyDurationOptionTakesTheSameSyntax() {
        for (String command : List.of("generator", "learner", "evaluator", "reward-producer")) {
            for (String value : List.of("90", "90s", "1500ms", "5m", "1h")) {
                Gopo.commandLine().parseArgs(command, "--idle-timeout", value);
            }
            StringWriter err = new StringWriter();
            CommandLine cli = Gopo.commandLine();
            cli.setErr(new PrintWriter(err));
            assertThat(cli.execute(command, "--idle-timeout", "soon")).as(command).isNotZero();
            assertThat(err.toString()).as(command).contains("--idle-timeout").contains("'soon' is not a duration");
        }
        for (String value : List.of("90", "90s", "5m")) {
            Gopo.commandLine().parseArgs("ranker", "--group-timeout", value);
        }
    }
}
