package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new ReportCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void printsThePathOfTheWrittenPage() throws Exception {
        Path run = Fixtures.runDir(tmp.resolve("run"));
        assertThat(run(run.toString())).isZero();
        assertThat(out.toString().strip()).isEqualTo(run.resolve("report/index.html").toString());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aMissingDirectoryIsAnErrorOnStandardError() {
        assertThat(run(tmp.resolve("nope").toString())).isNotZero();
        assertThat(err.toString()).startsWith("error: ").contains("nope").contains("not a directory");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aDirectoryWithoutResultsIsAnError() throws Exception {
        assertThat(run(Files.createDirectories(tmp.resolve("empty")).toString())).isNotZero();
        assertThat(err.toString()).contains("holds no saved results");
    }

    @Test
    void aMalformedCsvNamesTheFileAndLine() throws Exception {
        Path run = Fixtures.runDir(tmp.resolve("run"));
        Files.writeString(run.resolve("metrics.csv"), "step,policy_version,timestamp_ms,name,value\n1,0,1000,loss/kl,1,2\n");
        assertThat(run(run.toString())).isNotZero();
        assertThat(err.toString()).contains(run.resolve("metrics.csv") + " line 2: 6 fields but the header has 5");
    }

    @Test
    void theDirectoryIsRequired() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).contains("RUN_OR_STUDY_DIR");
    }
}
