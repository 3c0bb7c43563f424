package dev.gopo.launcher.soak;

import dev.gopo.embedded.EmbeddedKafka;
import dev.gopo.embedded.EmbeddedRegistry;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The embedded broker and registry of a soak, each restartable on its own at the same address: the broker on its kept
 * data and port ({@link EmbeddedKafka} formats storage only once), the registry on its port with its schemas in a
 * database file (persistent {@link EmbeddedRegistry}), so the ids in the kept records still resolve.
 */
final class SoakInfra implements AutoCloseable {
    private static final Duration REGISTRY_READY = Duration.ofSeconds(120);
    private static final int PARTITIONS = 4;

    private final Path dir;
    private EmbeddedKafka kafka;
    private EmbeddedRegistry registry;
    private final int brokerPort;
    private final int registryPort;

    private SoakInfra(Path dir, EmbeddedKafka kafka, EmbeddedRegistry registry) {
        this.dir = dir;
        this.kafka = kafka;
        this.registry = registry;
        this.brokerPort = kafka.port();
        this.registryPort = registry.port();
    }

    static SoakInfra start(Path dir) throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"), false, PARTITIONS, 0);
        try {
            return new SoakInfra(dir, kafka, EmbeddedRegistry.start(dir.resolve("registry"), 0, REGISTRY_READY, true));
        } catch (Exception e) {
            kafka.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    String registryUrl() {
        return "http://127.0.0.1:" + registryPort + EmbeddedRegistry.CCOMPAT_PATH;
    }

    /** Stops the broker (a clean shutdown, data kept), waits {@code down}, starts it again on the same data and port. */
    synchronized void restartBroker(Duration down) throws Exception {
        kafka.close();
        kafka = null;
        Thread.sleep(down.toMillis());
        kafka = EmbeddedKafka.start(dir.resolve("kafka"), false, PARTITIONS, brokerPort);
    }

    /** Stops the registry child, waits {@code down}, starts it again on the same port with its stored schemas. */
    synchronized void registryOutage(Duration down) throws Exception {
        registry.close();
        registry = null;
        Thread.sleep(down.toMillis());
        registry = EmbeddedRegistry.start(dir.resolve("registry"), registryPort, REGISTRY_READY, true);
    }

    @Override
    public synchronized void close() throws Exception {
        try {
            if (registry != null) {
                registry.close();
            }
        } finally {
            if (kafka != null) {
                kafka.close();
            }
        }
    }
}
