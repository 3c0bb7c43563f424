package dev.gopo.tasks;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PrepareCommandTest {

    @Test
    void helpListsTheOptions() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new PrepareCommand()).setOut(new PrintWriter(out));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).contains("--cache-dir", "gopo-work/cache", "--tasks", "--sft-steps", "--rm-steps",
                "--seed", "--model-size", "--rater-temperature");
    }

    @Test
    void prepareRunsAndThenReportsCached(@TempDir Path dir) {
        String[] args = {"--cache-dir", dir.toString(), "--model-size", "tiny", "--tasks", "constrained",
                "--sft-steps", "3", "--rm-steps", "3", "--judge-prompts", "2"};
        StringWriter first = new StringWriter();
        assertThat(new CommandLine(new PrepareCommand()).setOut(new PrintWriter(first)).execute(args)).isZero();
        assertThat(first.toString()).contains("reward model constrained: building", "reward model constrained: "
                + dir.resolve("reward-models/constrained"));
        StringWriter second = new StringWriter();
        assertThat(new CommandLine(new PrepareCommand()).setOut(new PrintWriter(second)).execute(args)).isZero();
        assertThat(second.toString()).contains("reference policy: cached", "reward model constrained: cached");
    }

    @Test
    void unknownTaskFailsWithTheKnownNames(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new PrepareCommand()).setErr(new PrintWriter(err));
        int code = cli.execute("--cache-dir", dir.toString(), "--tasks", "translate");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("unknown task 'translate': known tasks are [summarise, constrained]");
    }
}
