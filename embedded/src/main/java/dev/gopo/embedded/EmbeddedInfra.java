package dev.gopo.embedded;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/** The embedded default: broker and registry started together under one working directory and closed together. */
public final class EmbeddedInfra implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedRegistry registry;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedInfra(EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.kafka = kafka;
        this.registry = registry;
    }

    public static EmbeddedInfra start(Path workDir, int partitions, boolean deleteOnClose) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(workDir.resolve("kafka"), deleteOnClose, partitions);
        try {
            return new EmbeddedInfra(kafka, EmbeddedRegistry.start(workDir.resolve("registry"), Duration.ofSeconds(90)));
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

    /** Idempotent: stops the registry, then the broker. */
    @Override
    public void close() throws Exception {
        if (closed.compareAndSet(false, true)) {
            try {
                registry.close();
            } finally {
                kafka.close();
            }
        }
    }
}
