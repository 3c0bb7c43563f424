package dev.gopo.platform;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;

/** Client settings every worker shares, and the broker checks done at start-up. */
public final class KafkaClients {
    private KafkaClients() {
    }

    /** Idempotent producer, acks=all. */
    /**
     * Longest pause between reconnect attempts to a broker that is away (Kafka's default is 1 s). Each failed attempt
     * logs a {@code NetworkClient} warning, so with the default a worker's clients log a few hundred lines a minute
     * and say nothing useful; {@link BrokerWatch} says it once instead. Costs at most this much delay in reconnecting.
     */
    public static final int RECONNECT_BACKOFF_MAX_MS = 10_000;

    public static Map<String, Object> producer(ClusterConfig cluster, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
        props.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        props.putAll(cluster.client().kafka());
        return props;
    }

    /** Consumer in a group, manual commits, reading only committed transactional data. */
    public static Map<String, Object> consumer(ClusterConfig cluster, String groupId, String clientId) {
        Map<String, Object> props = new HashMap<>();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, RECONNECT_BACKOFF_MAX_MS);
        props.putAll(cluster.client().kafka());
        return props;
    }

    public static Admin admin(ClusterConfig cluster) {
        return admin(cluster, Duration.ofSeconds(15));
    }

    private static Admin admin(ClusterConfig cluster, Duration apiTimeout) {
        int timeoutMs = (int) apiTimeout.toMillis();
        // The start-up checks' timeouts win over the file's: they bound how long a command waits before a clear error.
        Map<String, Object> props = new HashMap<>(cluster.client().kafka());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(timeoutMs, 10_000));
        return Admin.create(props);
    }

    /** How long a command waits for the broker at start-up before it gives up with a clear error. */
    public static final Duration BROKER_WAIT = Duration.ofSeconds(15);

    /** {@link #requireBroker(ClusterConfig, Duration)} with the start-up wait {@link #BROKER_WAIT}. */
    public static void requireBroker(ClusterConfig cluster) {
        requireBroker(cluster, BROKER_WAIT);
    }

    /**
     * Fails fast with a clear message when no broker answers, instead of letting clients retry forever.
     */
    public static void requireBroker(ClusterConfig cluster, Duration timeout) {
        // The admin's own API timeout equals ours, so closing it does not wait for a call still retrying.
        try (Admin admin = admin(cluster, timeout)) {
            admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException auth) {
                throw authenticationFailed(cluster, auth);
            }
            throw new IllegalStateException("no Kafka broker reachable at " + cluster.bootstrapServers() + " within "
                    + timeout.toSeconds() + " s; start one (e.g. 'gopo infra') or fix --bootstrap-servers", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no Kafka broker reachable at " + cluster.bootstrapServers() + " within "
                    + timeout.toSeconds() + " s; start one (e.g. 'gopo infra') or fix --bootstrap-servers", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking the broker at " + cluster.bootstrapServers(), e);
        }
    }

    /**
     * Partitions of {@code topic}, waiting for a just-created topic's metadata to reach the client
     * (right after creation {@code partitionsFor} may still answer with no partitions).
     */
    public static List<TopicPartition> partitions(Consumer<?, ?> consumer, String topic, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + topic + " has no partitions visible after " + timeout.toSeconds()
                        + " s; does it exist on the cluster?");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
            }
        }
    }

    /**
     * Creates any of {@code topics} that do not exist yet (replication factor 1 for one broker, else 3 capped by brokers),
     * then waits, up to 30 s, until every partition of every one of {@code topics} has a leader that serves requests
     * ({@link #awaitLeaders}), whoever created it.
     */
    public static void ensureTopics(ClusterConfig cluster, Collection<String> topics, int partitions) {
        try (Admin admin = admin(cluster)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
            short replication = (short) Math.min(3, brokers);
            List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replication)).toList();
            Map<String, KafkaFuture<Void>> created = missing.isEmpty() ? Map.of() : admin.createTopics(missing).values();
            for (Map.Entry<String, KafkaFuture<Void>> topic : created.entrySet()) {
                try {
                    topic.getValue().get(30, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) { // else created meanwhile by another worker
                        throw e;
                    }
                }
            }
            // every topic, not only the ones created here: a peer starting at the same time may have created it a moment ago
            awaitLeaders(admin, List.copyOf(topics));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            if (e.getCause() instanceof AuthenticationException auth) {
                throw authenticationFailed(cluster, auth);
            }
            throw new IllegalStateException("cannot create topics " + topics + " on " + cluster.bootstrapServers()
                    + ", or their partitions had no serving leader within 30 s: " + e.getMessage(), e);
        }
    }

    /**
     * Returns once every partition of {@code topics} has a leader that serves requests. {@code createTopics}
     * completes when the controller has created the topics, and a client's metadata may name the leader before that
     * broker has taken the partition on: a producer that sends at once gets {@code NOT_LEADER_OR_FOLLOWER} for its first
     * batches. With idempotence and several requests in flight that is not harmless: seen in {@code gopo bench-ranker}
     * (Kafka 4.3), batch 0 of a partition was refused, the batches behind it were accepted as the producer's first ones
     * (the broker takes any first sequence from a producer it has no state for), and the retried batch 0 then failed
     * with {@code OutOfOrderSequenceException} until its delivery timeout, losing its records. ListOffsets asks the same
     * question of the same broker as Produce (is it the partition's leader?), so once it answers for every partition a
     * producer can start. Retriable answers ({@code NOT_LEADER_OR_FOLLOWER}, {@code UNKNOWN_TOPIC_OR_PARTITION} while the
     * new topic's metadata propagates) are retried for up to 30 s.
     */
    static void awaitLeaders(Admin admin, List<String> topics) throws InterruptedException, ExecutionException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                // the partitions as the topics have them (a peer may have created one with another count)
                Map<TopicPartition, OffsetSpec> all = new HashMap<>();
                admin.describeTopics(topics).allTopicNames().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)
                        .forEach((name, description) -> description.partitions()
                                .forEach(p -> all.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
                admin.listOffsets(all).all().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                return;
            } catch (ExecutionException e) {
                // right after creation the topic may not be in this broker's metadata yet (UnknownTopicOrPartition), which
                // the admin client does not retry by itself; any retriable answer means "not yet"
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /**
     * The one clear error for credentials the broker refuses: authentication failures are not retriable, so
     * the worker stops at once and says where the settings came from instead of retrying forever.
     */
    static IllegalStateException authenticationFailed(ClusterConfig cluster, AuthenticationException e) {
        ClientProperties client = cluster.client();
        String protocol = client.describe("security.protocol");
        String mechanism = client.describe("sasl.mechanism");
        return new IllegalStateException("the Kafka broker at " + cluster.bootstrapServers() + " refused this client's authentication"
                + " (security.protocol=" + (protocol == null ? "PLAINTEXT" : protocol)
                + (mechanism == null ? (protocol != null && protocol.startsWith("SASL") ? ", sasl.mechanism=GSSAPI (the default)" : "")
                : ", sasl.mechanism=" + mechanism)
                + ", from " + client.origin() + "): " + e.getMessage()
                + ". Check the user name and password in sasl.jaas.config (or the SSL key store) and that the broker's listener"
                + " at that address expects this protocol and mechanism; retrying cannot help", e);
    }
}
