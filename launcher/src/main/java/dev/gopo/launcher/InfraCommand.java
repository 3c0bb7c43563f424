package dev.gopo.launcher;

import dev.gopo.embedded.EmbeddedInfra;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gopo infra}: a real KRaft broker and a real schema registry on this machine until Ctrl-C. */
@Command(name = "infra", mixinStandardHelpOptions = true,
        description = {"Start the embedded infrastructure: a single-node Kafka broker (KRaft) and the Apicurio schema registry.",
                "Prints the bootstrap servers and registry URL, then runs until Ctrl-C."})
final class InfraCommand implements Callable<Integer> {
    @Option(names = "--work-dir", defaultValue = "gopo-work/infra", description = "Directory for broker data and the registry log. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--partitions", defaultValue = "4", description = "Default partitions of auto-created topics. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--keep-data", description = "Keep the broker's data directory after shutdown (for inspection).")
    boolean keepData;

    @Override
    public Integer call() throws Exception {
        if (partitions < 1) {
            throw new IllegalArgumentException("--partitions must be at least 1, got " + partitions);
        }
        try (EmbeddedInfra infra = EmbeddedInfra.start(workDir, partitions, !keepData)) {
            System.out.println("bootstrap servers: " + infra.bootstrapServers());
            System.out.println("registry URL:      " + infra.registryUrl());
            System.out.println("export GOPO_BOOTSTRAP_SERVERS=" + infra.bootstrapServers() + " GOPO_REGISTRY_URL=" + infra.registryUrl());
            System.out.println("Ctrl-C to stop.");
            CountDownLatch stopped = new CountDownLatch(1);
            CountDownLatch closed = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                stopped.countDown();
                try {
                    closed.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "infra-shutdown"));
            try {
                stopped.await();
            } finally {
                infra.close();
                closed.countDown();
            }
        }
        return 0;
    }
}
