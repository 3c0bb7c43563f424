package dev.gopo.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.launcher.Gopo;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SoakCommandTest {
    @Test
    void defaultsAreAFullSoakOfTwentyKillsWithoutInfrastructureFaults() {
        SoakSettings s = parse();

        assertThat(s.kills()).isEqualTo(20);
        assertThat(s.brokerRestarts()).isZero();
        assertThat(s.registryOutages()).isZero();
        assertThat(s.minPause()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.maxPause()).isEqualTo(Duration.ofSeconds(15));
        assertThat(s.timeout()).isEqualTo(Duration.ofMinutes(30));
        int fed = 0;
        for (int b = 0; b < s.feedBatches(); b++) {
            fed += s.batchSize(b);
        }
        assertThat(fed).isEqualTo(s.prompts());
    }

    @Test
    void badValuesFailWithTheOptionsName() {
        assertThatThrownBy(() -> parse("--kills", "-1")).hasMessageContaining("--kills must be >= 0");
        assertThatThrownBy(() -> parse("--min-pause", "10s", "--max-pause", "2s")).hasMessageContaining("--max-pause");
        assertThatThrownBy(() -> parse("--prompts", "2", "--feed-batches", "3")).hasMessageContaining("--feed-batches");
        assertThatThrownBy(() -> parse("--outage", "0")).hasMessageContaining("--outage must be positive");
        assertThatThrownBy(() -> parse("--worker-heap", "lots")).hasMessageContaining("--worker-heap");
    }

    @Test
    void anUnparsableDurationIsAUsageErrorAndHelpListsTheFaultOptions() {
        StringWriter err = new StringWriter();
        CommandLine cli = Gopo.commandLine();
        cli.getSubcommands().get("soak").setErr(new PrintWriter(err, true));
        assertThat(cli.execute("soak", "--drain-timeout", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("--drain-timeout");

        String help = cli.getSubcommands().get("soak").getUsageMessage();
        assertThat(help).contains("--kills", "--broker-restarts", "--registry-outages", "--timeout", "Default: 20");
    }

    private static SoakSettings parse(String... args) {
        CommandLine cli = Gopo.commandLine();
        CommandLine.ParseResult parsed = cli.parseArgs(prepend(args));
        return ((SoakCommand) parsed.subcommand().commandSpec().userObject()).settings();
    }

    private static String[] prepend(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "soak";
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }
}
