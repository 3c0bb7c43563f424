package dev.gopo.embedded;

import dev.gopo.files.FileTrees;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** The embedded default: broker and registry started together under one working directory and closed together. */
public final class EmbeddedInfra implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final Path registryDir;
    private final boolean deleteOnClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedInfra(EmbeddedKafka kafka, EmbeddedRegistry registry, Path registryDir, boolean deleteOnClose) {
        this.kafka = kafka;
        this.registry = registry;
        this.registryDir = registryDir;
        this.deleteOnClose = deleteOnClose;
    }

    public static EmbeddedInfra start(Path workDir, int partitions, boolean deleteOnClose) throws Exception {
        return start(workDir, partitions, deleteOnClose, 0, 0);
    }

    /**
     * @param deleteOnClose whether to delete the broker's data and the registry's schemas on close. Both live under
     *                      {@code workDir} (the registry's in an H2 file), and a start finds what an earlier start kept,
     *                      so the restarted registry serves the ids the kept records carry
     * @param brokerPort    the broker's client port, 0 for a free one
     * @param registryPort  the registry's port, 0 for a free one
     */
    public static EmbeddedInfra start(Path workDir, int partitions, boolean deleteOnClose, int brokerPort, int registryPort) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"), deleteOnClose, partitions, brokerPort);
        try {
            Path registryDir = workDir.resolve("registry");
            return new EmbeddedInfra(kafka, EmbeddedRegistry.start(registryDir, registryPort, Duration.ofSeconds(90), true), registryDir,
                    deleteOnClose);
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public String registryUrl() {
        return registry.url();
    }

    public EmbeddedRegistry registry() {
        return registry;
    }

    /** Idempotent: stops the registry, then the broker. */
    @Override
    public void close() throws Exception {
        if (closed.compareAndSet(false, true)) {
            try {
                registry.close();
                if (deleteOnClose) {
                    FileTrees.deleteRecursively(registryDir.resolve(EmbeddedRegistry.DB_DIR));
                }
            } finally {
                kafka.close();
            }
        }
    }
}
