package dev.gopo.launcher;

import picocli.CommandLine;

/** Registers the workers' own commands (each worker module owns its picocli command class). */
final class WorkerCommands {
    private WorkerCommands() {
    }

    static void register(CommandLine cli) {
        // Worker commands are added here as their modules provide them.
    }
}
