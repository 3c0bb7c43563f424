package dev.gopo.launcher;

import dev.gopo.generator.GeneratorCommand;
import dev.gopo.learner.LearnerCommand;
import dev.gopo.learner.bench.LearnerBenchmark;
import picocli.CommandLine;

/** Registers the workers' own commands (each worker module owns its picocli command class). */
final class WorkerCommands {
    private WorkerCommands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new GeneratorCommand());
        cli.addSubcommand(new LearnerCommand());
        cli.addSubcommand(new LearnerBenchmark());
    }
}
