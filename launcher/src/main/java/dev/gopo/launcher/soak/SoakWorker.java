package dev.gopo.launcher.soak;

import dev.gopo.platform.ChildJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One worker of the soak as its own process, always started with the same command line ({@link ChildJvm}), its output
 * appended to one log across restarts. Counts what happened to it: kills by the soak, and exits on its own (a worker
 * that stops by itself is a finding: the soak restarts it and says so).
 */
final class SoakWorker {
    private final String name;
    private final String type;
    private final ChildJvm jvm;
    private final Path log;
    private Process process;
    private int kills;
    private int ownExits;
    private String lastOwnExit;
    private boolean stopped;

    SoakWorker(String name, String type, ChildJvm jvm, Path log) {
        this.name = name;
        this.type = type;
        this.jvm = jvm;
        this.log = log;
    }

    String name() {
        return name;
    }

    /** generator, ranker, learner or reward-producer: the launcher subcommand. */
    String type() {
        return type;
    }

    Path log() {
        return log;
    }

    synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    synchronized void start() throws IOException {
        process = jvm.start(log);
    }

    /** {@code kill -9}, then a start with the same arguments; returns the old pid. */
    synchronized long killAndRestart() throws IOException, InterruptedException {
        long pid = process.pid();
        if (!ChildJvm.kill(process, Duration.ofSeconds(30))) {
            throw new IllegalStateException(name + " (pid " + pid + ") did not die within 30 s of kill -9");
        }
        kills++;
        start();
        return pid;
    }

    /**
     * Restarts the worker if it exited although nobody stopped it; returns its exit code then, else null.
     */
    synchronized Integer restartIfExited() throws IOException {
        if (stopped || process == null || process.isAlive()) {
            return null;
        }
        int code = process.exitValue();
        ownExits++;
        lastOwnExit = "exit code " + code;
        start();
        return code;
    }

    /** SIGTERM (the worker closes its clients; the learner writes its last checkpoint); killed after {@code grace}. */
    synchronized boolean stop(Duration grace) throws InterruptedException {
        stopped = true;
        return process == null || ChildJvm.stop(process, grace);
    }

    /** For a shutdown hook: kills the process if it still runs. */
    synchronized void destroyNow() {
        stopped = true;
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
        }
    }

    synchronized int kills() {
        return kills;
    }

    synchronized int ownExits() {
        return ownExits;
    }

    synchronized String lastOwnExit() {
        return lastOwnExit;
    }
}
