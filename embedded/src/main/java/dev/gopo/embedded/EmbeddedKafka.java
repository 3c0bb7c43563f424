package dev.gopo.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), in this JVM.
 *
 * <p>Built on Kafka's own {@code KafkaClusterTestKit}: the same {@code BrokerServer} and
 * {@code ControllerServer} a production broker runs, formatted storage under {@code dataDir}.
 * The broker listens on an ephemeral loopback port; {@link #bootstrapServers()} says which.
 * A one-node cluster needs replication factor 1 for the internal offsets and transaction-state
 * topics, or consumer groups and transactions (Kafka Streams exactly-once) hang without an error.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final KafkaClusterTestKit cluster;
    private final Path dataDir;

    private EmbeddedKafka(KafkaClusterTestKit cluster, Path dataDir) {
        this.cluster = cluster;
        this.dataDir = dataDir;
    }

    /**
     * Formats storage under {@code dataDir}, starts the broker and blocks until it is ready to serve
     * clients (readiness is checked by the broker's own registration, not by sleeping).
     *
     * @param deleteOnClose whether to remove the data directory on {@link #close()}
     */
    public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose, int defaultPartitions) throws Exception {
        Files.createDirectories(dataDir);
        long t0 = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dataDir)
                .build();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(deleteOnClose);
        for (Map.Entry<String, String> e : brokerConfig(defaultPartitions).entrySet()) {
            builder.setConfigProp(e.getKey(), e.getValue());
        }
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
        EmbeddedKafka kafka = new EmbeddedKafka(cluster, dataDir);
        log.info("Kafka broker (KRaft) ready at {} in {} ms, data under {}", kafka.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000, dataDir);
        return kafka;
    }

    static Map<String, String> brokerConfig(int defaultPartitions) {
        return Map.of(
                "offsets.topic.replication.factor", "1",
                "offsets.topic.num.partitions", "4",
                "transaction.state.log.replication.factor", "1",
                "transaction.state.log.min.isr", "1",
                "transaction.state.log.num.partitions", "4",
                "group.initial.rebalance.delay.ms", "0",
                "num.partitions", Integer.toString(defaultPartitions),
                "auto.create.topics.enable", "true");
    }

    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        log.info("stopping Kafka broker at {}", bootstrapServers());
        cluster.close();
    }
}
