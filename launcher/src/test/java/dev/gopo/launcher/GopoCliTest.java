package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
}
