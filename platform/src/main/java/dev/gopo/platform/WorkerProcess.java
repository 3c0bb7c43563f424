package dev.gopo.platform;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * How every {@link PollingWorker} command runs: check that the broker answers (a clear error
 * instead of endless client retries), open the worker, run it until Ctrl-C or its own limits,
 * close it, all through {@link Shutdown#runUntilStopped} so a signal never cuts a write short.
 * While it runs, a {@link BrokerWatch} says once when the broker goes away and stops the worker
 * after {@code --broker-timeout}.
 */
public final class WorkerProcess {
    private static final Logger log = LoggerFactory.getLogger(WorkerProcess.class);

    private WorkerProcess() {
    }

    /** Opens a worker on a cluster; may fail on bad models or files before any record is read. */
    @FunctionalInterface
    public interface Opener {
        PollingWorker open(ClusterConfig cluster) throws Exception;
    }

    /**
     * Runs one worker to its end.
     *
     * @param what    the worker's name in log lines and the shutdown hook's thread name
     * @return the process exit code, 0 (failures are thrown)
     * @throws IllegalStateException when the broker does not answer within {@link KafkaClients#BROKER_WAIT}, or stays
     *     unreachable longer than {@code --broker-timeout} while the worker runs
     */
    public static int run(String what, ClusterConfig cluster, Opener opener) throws Exception {
        KafkaClients.requireBroker(cluster);
        Shutdown.runUntilStopped(what, stop -> {
            // The watch stops the worker when the broker stays away longer than --broker-timeout, and says so once.
            try (BrokerWatch watch = BrokerWatch.start(cluster, what, () -> stop.set(true));
                 PollingWorker worker = opener.open(cluster)) {
                worker.run(stop);
                if (watch.failure().isPresent()) {
                    throw new IllegalStateException(watch.failure().get());
                }
            }
        });
        return 0;
    }

    /**
     * The command line conventions of every {@code gopo} command, applied to {@code cli} and the subcommands it has
     * so far: enum values in any case ({@code --model-size small} or {@code SMALL}) and one duration syntax
     * ({@link DurationConverter}).
     */
    public static CommandLine withConventions(CommandLine cli) {
        return cli.setCaseInsensitiveEnumValuesAllowed(true).registerConverter(Duration.class, new DurationConverter());
    }

    /** A command line for {@code command} with {@link #withConventions the conventions} of every command. */
    public static CommandLine commandLine(Object command) {
        return withConventions(new CommandLine(command));
    }

    /**
     * The {@code main} of a worker started as its own process (crash tests, containers): parses
     * {@code args} into {@code command}, runs it, logs and exits with its code.
     */
    public static void main(String what, Object command, String[] args) {
        int code = commandLine(command).execute(args);
        log.info("{} exits with code {}", what, code);
        System.exit(code);
    }
}
