package dev.gopo.launcher;

import dev.gopo.launcher.bench.BenchAsyncCommand;
import dev.gopo.launcher.replay.ReplayCommand;
import dev.gopo.launcher.soak.SoakCommand;
import dev.gopo.launcher.study.StudyCommand;
import dev.gopo.platform.WorkerProcess;
import dev.gopo.report.ReportCommand;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code gopo} command line: one launcher for the embedded infrastructure and every worker. */
@Command(name = "gopo", mixinStandardHelpOptions = true, version = "gopo 0.1.0",
        description = "GOPO (Group Ordinal Policy Optimization) streaming RL pipeline on Apache Kafka.",
        subcommands = {RunCommand.class, StudyCommand.class, ReplayCommand.class, ReportCommand.class, InfraCommand.class, SoakCommand.class,
                SmokeCommand.class, BenchAsyncCommand.class, CommandLine.HelpCommand.class})
public final class Gopo {
    private static final Logger log = LoggerFactory.getLogger(Gopo.class);

    /** The command line with every subcommand registered; exceptions become a one-line error and exit code 1. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Gopo());
        WorkerCommands.register(cli);
        // The conventions reach only the subcommands already added, so they come after every registration.
        WorkerProcess.withConventions(cli);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("error: " + e.getMessage()));
            log.debug("command failed", e);
            return 1;
        });
        return cli;
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0) {
            log.info("gopo exits with code {}", code);
        }
        System.exit(code);
    }
}
