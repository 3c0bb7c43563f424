package dev.gopo.embedded;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.network.ListenerName;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node KRaft broker, in this JVM, whose client listener requires SASL authentication
 * with SCRAM-SHA-512 over plaintext ({@code SASL_PLAINTEXT}), as a secured production cluster does
 * (without the TLS). For tests of workers configured through {@code --client-config}.
 *
 * <p>How: the test kit's client listener keeps its name and pre-bound port, and
 * {@code listener.security.protocol.map} maps it to SASL_PLAINTEXT (the test kit's own SASL mode
 * would set up PLAIN with a JVM-wide JAAS file instead). Like many production clusters, the broker has
 * a separate internal listener (PLAINTEXT, loopback only) for inter-broker traffic; SCRAM credentials
 * are created through it with {@code alterUserScramCredentials} (a controller does not take that call
 * directly), and {@link #bootstrapServers()} never names it. Start-up returns only when a user can
 * actually authenticate on the secured listener, since credentials reach the broker's cache
 * asynchronously from the metadata log.
 */
public final class SecuredEmbeddedKafka implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SecuredEmbeddedKafka.class);

    public static final String MECHANISM = "SCRAM-SHA-512";
    private static final String INTERNAL = "INTERNAL";
    private static final int ITERATIONS = 4096;

    private final KafkaClusterTestKit cluster;
    private final String listenerName;

    private SecuredEmbeddedKafka(KafkaClusterTestKit cluster, String listenerName) {
        this.cluster = cluster;
        this.listenerName = listenerName;
    }

    /**
     * Starts the broker with {@code users} (name to password) able to authenticate, and waits until the first can.
     *
     * @param dataDir removed on {@link #close()}
     */
    public static SecuredEmbeddedKafka start(Path dataDir, int defaultPartitions, Map<String, String> users) throws Exception {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a secured broker needs at least one user");
        }
        Files.createDirectories(dataDir);
        long t0 = System.nanoTime();
        TestKitNodes nodes = new TestKitNodes.Builder()
                .setCombined(true)
                .setNumBrokerNodes(1)
                .setNumControllerNodes(1)
                .setBaseDirectory(dataDir)
                .build();
        String broker = nodes.brokerListenerName().value();
        String controller = nodes.controllerListenerName().value();
        KafkaClusterTestKit.Builder builder = new KafkaClusterTestKit.Builder(nodes).setDeleteOnClose(true);
        EmbeddedKafka.brokerConfig(defaultPartitions).forEach(builder::setConfigProp);
        // The test kit pre-binds the ports of the client and controller listeners by name; the internal one binds its own.
        builder.setConfigProp("listeners", broker + "://localhost:0," + controller + "://localhost:0," + INTERNAL + "://127.0.0.1:0");
        builder.setConfigProp("listener.security.protocol.map", broker + ":" + SecurityProtocol.SASL_PLAINTEXT.name + ","
                + controller + ":PLAINTEXT," + INTERNAL + ":PLAINTEXT");
        builder.setConfigProp("inter.broker.listener.name", INTERNAL);
        builder.setConfigProp("sasl.enabled.mechanisms", MECHANISM);
        // The server side of SCRAM on the client listener: credentials come from the metadata log, the module from here.
        builder.setConfigProp("listener.name." + broker.toLowerCase(Locale.ROOT) + "." + MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        KafkaClusterTestKit cluster = builder.build();
        try {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            SecuredEmbeddedKafka kafka = new SecuredEmbeddedKafka(cluster, broker);
            kafka.createUsers(users);
            Map.Entry<String, String> first = users.entrySet().iterator().next();
            kafka.awaitAuthentication(first.getKey(), first.getValue(), Duration.ofSeconds(30));
            log.info("Kafka broker (KRaft, {} {} on listener {}) ready at {} in {} ms, users {}", SecurityProtocol.SASL_PLAINTEXT, MECHANISM, broker,
                    kafka.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000, users.keySet());
            return kafka;
        } catch (Exception e) {
            cluster.close();
            throw e;
        }
    }

    /** Through the internal listener, the only one a client without credentials can reach. */
    private void createUsers(Map<String, String> users) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrapServers()))) {
            List<UserScramCredentialAlteration> upserts = new ArrayList<>();
            users.forEach((user, password) -> upserts.add(new UserScramCredentialUpsertion(user,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), password)));
            admin.alterUserScramCredentials(upserts).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** The unauthenticated loopback listener for inter-broker traffic and set-up; tests of clients must not use it. */
    String internalBootstrapServers() {
        int port = cluster.brokers().values().iterator().next().boundPort(ListenerName.normalised(INTERNAL));
        return "127.0.0.1:" + port;
    }

    private void awaitAuthentication(String user, String password, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> props = new HashMap<>(clientProperties(user, password));
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        while (true) {
            try (Admin admin = Admin.create(props)) {
                admin.describeCluster().nodes().get(10, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // Until the credential has reached the broker's cache, SCRAM fails as a wrong password would.
                if (!(e.getCause() instanceof SaslAuthenticationException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("user " + user + " cannot authenticate to the secured embedded broker at "
                            + bootstrapServers() + " within " + timeout.toSeconds() + " s: " + e.getCause(), e);
                }
            }
            Thread.sleep(100);
        }
    }

    /** {@code sasl.jaas.config} for a SCRAM user. */
    public static String jaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\"" + password + "\";";
    }

    /** What a client needs besides {@code bootstrap.servers} to authenticate as {@code user}. */
    public static Map<String, String> clientProperties(String user, String password) {
        return Map.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, SecurityProtocol.SASL_PLAINTEXT.name,
                SaslConfigs.SASL_MECHANISM, MECHANISM,
                SaslConfigs.SASL_JAAS_CONFIG, jaas(user, password));
    }

    /** The SASL_PLAINTEXT client listener, {@code localhost:PORT}. */
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    /** The name of the secured listener, as the broker's configuration and logs call it. */
    public String listenerName() {
        return listenerName;
    }

    @Override
    public void close() throws Exception {
        log.info("stopping the secured Kafka broker at {}", bootstrapServers());
        cluster.close();
    }
}
