package dev.gopo.launcher;

import dev.gopo.tasks.PrepareCommand;
import dev.gopo.tasks.PrepareSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code gopo prepare} then {@code gopo run} must reuse the cache: both commands' defaults select
 * the same artifacts, so every cache key is equal. (Before, run used 600/800 warm-start and
 * reward-model steps and prepare 1500/2000, and run trained everything again.)
 */
@Timeout(30)
class SharedDefaultsTest {

    @Test
    void prepareAndRunSelectTheSameCacheKeysByDefault() {
        PrepareSettings prepare = settingsOf("prepare", PrepareCommand.class).settings();
        PrepareSettings run = settingsOf("run", RunCommand.class).prepareSettings();
        assertThat(run).isEqualTo(prepare);
        assertThat(run.policyKey()).isEqualTo(prepare.policyKey());
        for (String task : prepare.tasks()) {
            assertThat(run.rewardModelKey(task, "sha")).isEqualTo(prepare.rewardModelKey(task, "sha"));
        }
    }

    @Test
    void theSameOptionsStillSelectTheSameKeys() {
        CommandLine cli = Gopo.commandLine();
        cli.parseArgs("prepare", "--seed", "7", "--sft-steps", "300");
        PrepareCommand prepare = cli.getSubcommands().get("prepare").getCommand();
        CommandLine cli2 = Gopo.commandLine();
        cli2.parseArgs("run", "--seed", "7", "--sft-steps", "300");
        RunCommand run = cli2.getSubcommands().get("run").getCommand();
        assertThat(run.prepareSettings().policyKey()).isEqualTo(prepare.settings().policyKey());
    }

    private static <T> T settingsOf(String command, Class<T> type) {
        CommandLine cli = Gopo.commandLine();
        cli.parseArgs(command);
        return type.cast(cli.getSubcommands().get(command).getCommand());
    }

    @Test
    void theSeparateWorkersDefaultToWhatTheMainJobUses() {
        CommandLine cli = Gopo.commandLine();
        for (String option : java.util.List.of("--groups-per-step", "--checkpoint-every", "--lr", "--beta", "--max-staleness-steps")) {
            assertThat(defaultOf(cli, "learner", option)).as("learner " + option).isEqualTo(defaultOf(cli, "run", option));
        }
        for (String option : java.util.List.of("--eval-prompts", "--samples-per-prompt")) {
            assertThat(defaultOf(cli, "evaluator", option)).as("evaluator " + option).isEqualTo(defaultOf(cli, "run", option));
        }
        assertThat(defaultOf(cli, "generator", "--group-size")).isEqualTo(defaultOf(cli, "run", "--group-size"));
        assertThat(defaultOf(cli, "generator", "--prompts-per-batch")).isEqualTo(defaultOf(cli, "run", "--prompts-per-batch"));
        assertThat(defaultOf(cli, "prepare", "--sft-steps")).isEqualTo(defaultOf(cli, "run", "--sft-steps"));
        assertThat(defaultOf(cli, "prepare", "--rm-steps")).isEqualTo(defaultOf(cli, "run", "--rm-steps"));
    }

    private static String defaultOf(CommandLine cli, String command, String option) {
        var spec = cli.getSubcommands().get(command).getCommandSpec().findOption(option);
        assertThat(spec).as(command + " has " + option).isNotNull();
        return spec.defaultValue();
    }
}
