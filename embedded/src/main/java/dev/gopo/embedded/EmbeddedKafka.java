package dev.gopo.embedded;

import dev.gopo.files.FileTrees;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker in KRaft mode (combined broker + controller), in this JVM: Kafka's own
 * {@link KafkaRaftServer}, what {@code kafka-server-start.sh} runs, on storage under {@code dataDir/logs}.
 *
 * <p>Restartable on kept data: storage is formatted only when {@code meta.properties} is not there yet, so a second
 * start on the same directory keeps the cluster id and every topic, record and committed offset. (The test kit this
 * class used before formatted on every start and so failed on kept data with {@code Failed to format node}; it also
 * built fresh random directory ids, which kept data would contradict.)
 *
 * <p>The client listener binds {@code 127.0.0.1:port}: a fixed port when one is given, so workers can reconnect after
 * a restart, or a free port picked at start. The controller listener always takes a free port: with a static
 * one-voter quorum ({@code controller.quorum.voters}) its endpoint is read from the configuration at every start, not
 * from the metadata log, so it may change between starts.
 *
 * <p>A one-node cluster needs replication factor 1 for the internal offsets and transaction-state topics, or consumer
 * groups and transactions (Kafka Streams exactly-once) hang without an error.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";

    private final KafkaRaftServer server;
    private final Path dataDir;
    private final int port;
    private final String clusterId;
    private final boolean deleteOnClose;

    private EmbeddedKafka(KafkaRaftServer server, Path dataDir, int port, String clusterId, boolean deleteOnClose) {
        this.server = server;
        this.dataDir = dataDir;
        this.port = port;
        this.clusterId = clusterId;
        this.deleteOnClose = deleteOnClose;
    }

    /** {@link #start(Path, boolean, int, int)} on a free port. */
    public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose, int defaultPartitions) throws Exception {
        return start(dataDir, deleteOnClose, defaultPartitions, 0);
    }

    /**
     * Formats storage under {@code dataDir} unless an earlier start did, starts the broker and blocks until it answers
     * clients (checked by asking it, not by sleeping).
     *
     * @param deleteOnClose whether to remove the data directory on {@link #close()}
     * @param port          the client port on 127.0.0.1, or 0 for a free one
     */
    public static EmbeddedKafka start(Path dataDir, boolean deleteOnClose, int defaultPartitions, int port) throws Exception {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("broker port must be 0 (any free port) or 1..65535, got " + port);
        }
        Path logs = dataDir.resolve("logs");
        Files.createDirectories(logs);
        long t0 = System.nanoTime();
        int clientPort = port == 0 ? freePort() : port;
        requireFree(clientPort);
        KafkaConfig config = new KafkaConfig(serverConfig(logs, clientPort, freePort(), defaultPartitions), false);
        String clusterId = formatOnce(logs);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        EmbeddedKafka kafka = new EmbeddedKafka(server, dataDir, clientPort, clusterId, deleteOnClose);
        try {
            server.startup();
            kafka.awaitReady(Duration.ofSeconds(60));
        } catch (Exception | Error e) {
            kafka.close();
            throw e;
        }
        log.info("Kafka broker (KRaft) ready at {} in {} ms, cluster id {}, data under {}", kafka.bootstrapServers(),
                (System.nanoTime() - t0) / 1_000_000, clusterId, dataDir);
        return kafka;
    }

    static Properties serverConfig(Path logs, int clientPort, int controllerPort, int defaultPartitions) {
        Properties props = new Properties();
        props.putAll(brokerConfig(defaultPartitions));
        props.put("process.roles", "broker,controller");
        props.put("node.id", Integer.toString(NODE_ID));
        props.put("controller.quorum.voters", NODE_ID + "@127.0.0.1:" + controllerPort);
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + "," + CONTROLLER_LISTENER + "://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        props.put("controller.listener.names", CONTROLLER_LISTENER);
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("log.dirs", logs.toAbsolutePath().toString());
        // the default 128 MiB dedupe buffer is for a real server; the test kit used 2 MiB too
        props.put("log.cleaner.dedupe.buffer.size", "2097152");
        return props;
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

    /**
     * Formats {@code logs} as {@code kafka-storage.sh format} would, unless it already holds {@code meta.properties};
     * returns the cluster id, new or kept.
     */
    static String formatOnce(Path logs) throws Exception {
        Path meta = logs.resolve("meta.properties");
        if (Files.isRegularFile(meta)) {
            Properties existing = new Properties();
            try (var in = Files.newInputStream(meta)) {
                existing.load(in);
            }
            String id = existing.getProperty("cluster.id");
            log.info("reusing formatted storage under {} (cluster id {})", logs, id);
            return id;
        }
        String clusterId = Uuid.randomUuid().toString();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
            new Formatter().setPrintStream(print).setNodeId(NODE_ID).setClusterId(clusterId)
                    .setDirectories(List.of(logs.toAbsolutePath().toString()))
                    .setMetadataLogDirectory(logs.toAbsolutePath().toString())   // metadata.log.dir defaults to the log dir
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setReleaseVersion(MetadataVersion.LATEST_PRODUCTION)
                    .run();
        }
        log.info("formatted storage under {} (cluster id {}): {}", logs, clusterId, out.toString(StandardCharsets.UTF_8).strip());
        return clusterId;
    }

    private void awaitReady(Duration timeout) throws InterruptedException, ExecutionException {
        Map<String, Object> props = new HashMap<>();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        try (Admin admin = Admin.create(props)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " did not answer within " + timeout.toSeconds() + " s", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static void requireFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("127.0.0.1", port));
        } catch (IOException e) {
            throw new IllegalStateException("broker port " + port + " on 127.0.0.1 is taken (" + e.getMessage()
                    + "); is another broker or 'gopo infra' still running? Stop it or pick another --port", e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() throws Exception {
        log.info("stopping Kafka broker at {}", bootstrapServers());
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteOnClose) {
                FileTrees.deleteRecursively(dataDir);
            }
        }
    }
}
