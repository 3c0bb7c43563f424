package dev.gopo.launcher;

import dev.gopo.embedded.EmbeddedInfra;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gopo infra}: a real KRaft broker and a real schema registry on this machine until Ctrl-C.
 *
 * <p>When the registry child process dies on its own, {@code gopo infra} says so and stops with exit code 1 rather
 * than restarting it: a silent restart would hide an outage the workers saw, and a supervisor (systemd, Kubernetes, a
 * shell loop) that restarts the whole command on the same {@code --work-dir --keep-data --port --registry-port} gets
 * the same addresses and, with kept data, the same schemas and records.
 */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = {"Start the embedded infrastructure: a single-node Kafka broker (KRaft) and the Apicurio schema registry.",
                "Prints the bootstrap servers and registry URL, then runs until Ctrl-C.",
                "Restartable: with --keep-data and fixed --port/--registry-port, a restart on the same --work-dir keeps topics, "
                        + "offsets and schemas at the same addresses, so workers reconnect.",
                "Exits with code 1 if the registry process dies."})
final class InfraCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(InfraCommand.class);

    @Option(names = "--work-dir", defaultValue = "gopo-work/infra", description = "Directory for broker data and the registry log. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--partitions", defaultValue = "4", description = "Default partitions of auto-created topics. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--keep-data", description = "Keep the broker's data and the registry's schemas after shutdown; a later start on "
            + "the same --work-dir resumes from them.")
    boolean keepData;

    @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
            description = "Broker client port on 127.0.0.1 (0 = any free port). Fix it, e.g. 9092, so workers can reconnect after a restart. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--registry-port", defaultValue = "0", paramLabel = "PORT",
            description = "Schema registry port on 127.0.0.1 (0 = any free port). Fix it, e.g. 8081, so workers can reconnect after a restart. Default: ${DEFAULT-VALUE}")
    int registryPort;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        requirePort("--port", port);
        requirePort("--registry-port", registryPort);
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "infra-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runUntil(stopped);
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it was our own stop signal
            }
        }
    }

    /** Starts the infrastructure and runs it until {@code stop} is released or the registry dies; returns the exit code. */
    int runUntil(CountDownLatch stop) throws Exception {
        AtomicReference<String> registryDied = new AtomicReference<>();
        try (EmbeddedInfra infra = EmbeddedInfra.start(workDir, partitions, !keepData, port, registryPort)) {
            infra.registry().onUnexpectedExit(message -> {
                registryDied.set(message);
                stop.countDown();
            });
            System.out.println("bootstrap servers: " + infra.bootstrapServers());
            System.out.println("registry URL:      " + infra.registryUrl());
            System.out.println("export GOPO_BOOTSTRAP_SERVERS=" + infra.bootstrapServers() + " GOPO_REGISTRY_URL=" + infra.registryUrl());
            System.out.println("Ctrl-C to stop.");
            stop.await();
        }
        String died = registryDied.get();
        if (died != null) {
            log.error("{}: stopped the broker too; gopo infra exits with code 1. Workers cannot fetch schemas they have not cached "
                    + "(they wait and retry, up to --registry-timeout). Restart gopo infra with the same --work-dir, --port and "
                    + "--registry-port (and --keep-data) to bring both back at the same addresses", died);
            System.err.println("error: " + died + "; gopo infra stopped (exit code 1)");
            return 1;
        }
        return 0;
    }

    private static void requirePort(String option, int value) {
        if (value < 0 || value > 65535) {
            throw new IllegalArgumentException(option + " must be 0 (any free port) or 1..65535, got " + value);
        }
    }
}
