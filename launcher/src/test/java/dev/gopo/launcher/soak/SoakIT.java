package dev.gopo.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short {@code gopo soak}: every worker its own process on a real broker and registry, four {@code kill -9}s with
 * restarts, and then every group of the fed prompts accounted for: none lost, none trained twice, none emitted twice.
 */
class SoakIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 6, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void killedAndRestartedWorkersLoseNothingAndDoubleNothing() throws Exception {
        SoakSettings settings = new SoakSettings(tmp.resolve("work"), tmp.resolve("cache"), 10, 10, 42, 48, 3, Duration.ofSeconds(6), 4,
                Duration.ofSeconds(4), Duration.ofSeconds(8), 0, 0, Duration.ofSeconds(5), 4, 4, 2, Duration.ofMinutes(2),
                Duration.ofMinutes(4), "320m");
        StringWriter out = new StringWriter();

        Soak.Result result = new Soak(settings, new PrintWriter(out, true)).run();

        String report = out.toString();
        System.out.println(report); // the soak's progress and report, in SoakIT-output.txt
        assertThat(result.faultsDone()).as(report).isEqualTo(4);
        assertThat(result.killsByType().values().stream().mapToInt(Integer::intValue).sum()).as(report).isEqualTo(4);
        assertThat(result.tally().produced()).as(report).isEqualTo(48);
        assertThat(result.tally().lostIds()).as(report).isEmpty();
        assertThat(result.tally().doubledLedgerIds()).as(report).isEmpty();
        assertThat(result.tally().doubledAdvantageIds()).as(report).isEmpty();
        assertThat(result.tally().unknownTrained()).as(report).isEmpty();
        assertThat(result.tally().trained()).as("the pipeline trained under the kills:%n%s", report).isPositive();
        assertThat(result.exitCode()).as(report).isZero();
        assertThat(tmp.resolve("work").resolve(Soak.REPORT_FILE)).as(report).isRegularFile();
        assertThat(Files.readString(tmp.resolve("work").resolve(Soak.REPORT_FILE))).contains("LOST:", "result: PASS");
    }
}
