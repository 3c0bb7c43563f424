package dev.gopo.platform;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A worker (or any {@code main}) started as its own JVM on this JVM's class path, its output appended to a log file:
 * what the crash tests and {@code gopo soak} need to kill a worker for real ({@code kill -9}, no shutdown hook, no
 * close) and start it again with the same command line.
 *
 * <p>The class path is this JVM's {@code java.class.path}: the launcher jar (whose manifest names {@code lib/}) when
 * run as {@code gopo}, the test class path (or the test runner's manifest-only jar) in a test.
 *
 * @param jvmOptions  options before the main class, e.g. {@code -Xmx512m}
 * @param mainClass   the class whose {@code main} runs
 * @param args        the program arguments, the same at every start
 * @param environment variables added to this JVM's environment
 */
public record ChildJvm(List<String> jvmOptions, String mainClass, List<String> args, Map<String, String> environment) {
    public ChildJvm {
        jvmOptions = List.copyOf(jvmOptions);
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        if (mainClass == null || mainClass.isBlank()) {
            throw new IllegalArgumentException("mainClass is missing");
        }
    }

    /** The full command line: this JVM's {@code java}, the options, {@code -cp} this class path, the main class, the arguments. */
    public List<String> command() {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }

    /** Starts the JVM with standard output and error appended to {@code logFile} (so restarts add to one log). */
    public Process start(Path logFile) throws IOException {
        Path parent = logFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        ProcessBuilder builder = new ProcessBuilder(command()).redirectErrorStream(true).redirectOutput(Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        return builder.start();
    }

    /**
     * {@code kill -9}: ends the process at once, without shutdown hooks (open transactions, unflushed records and
     * unwritten checkpoints stay as they are), and waits until it is gone.
     *
     * @return whether it had exited within {@code wait}
     */
    public static boolean kill(Process process, Duration wait) throws InterruptedException {
        return process.destroyForcibly().waitFor(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * SIGTERM, as a supervisor stops a service: the worker's shutdown hook lets it finish its record and close its
     * clients. After {@code grace} it is killed.
     *
     * @return whether it stopped within {@code grace} on its own
     */
    public static boolean stop(Process process, Duration grace) throws InterruptedException {
        process.destroy();
        if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill(process, Duration.ofSeconds(10));
        return false;
    }
}
