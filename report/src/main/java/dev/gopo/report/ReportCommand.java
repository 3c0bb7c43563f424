package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code gopo report}: one HTML page with PNG charts from a run's or a study's saved results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write RUN_OR_STUDY_DIR/report/index.html and its PNG charts from saved results, to open from disk.",
                "A study directory (with study.csv, optional head-to-head.csv and study.properties) gets per-estimator curves with",
                "95% t-bands over seeds, steps-to-reach, transform invariance and head-to-head tables. A run directory (with",
                "eval.csv, optional metrics.csv and pipeline.csv) gets learning curves per task, learner metrics, the staleness",
                "histogram and the pipeline's throughput, ranker latency and dead letters. Prints the path of index.html."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_OR_STUDY_DIR",
            description = "A study directory (has study.csv) or a run directory (has eval.csv), e.g. gopo-work/run")
    Path dir;

    @Spec
    CommandSpec spec;

    private static final Logger log = LoggerFactory.getLogger(ReportCommand.class);

    @Override
    public Integer call() {
        try {
            Path index = Report.write(dir);
            spec.commandLine().getOut().println(index);
            return 0;
        } catch (IllegalArgumentException | IOException e) {
            // The message names the directory or the file and line; a stack trace would add nothing for the user.
            spec.commandLine().getErr().println("error: " + e.getMessage());
            return 1;
        }
    }

    /** Entry point for running the report on its own, without the launcher. */
    public static void main(String[] args) {
        int code = new CommandLine(new ReportCommand()).execute(args);
        if (code != 0) {
            log.info("report exits with code {}", code);
        }
        System.exit(code);
    }
}
