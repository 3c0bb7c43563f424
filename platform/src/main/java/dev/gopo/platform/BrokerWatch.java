package dev.gopo.platform;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches whether a running worker's Kafka broker answers, because the clients themselves do not say so usefully:
 * with the broker gone they retry quietly or log a {@code NetworkClient} warning per reconnect attempt, and a Kafka
 * Streams instance stays {@code RUNNING}. Every {@link #CHECK_EVERY} it asks the cluster for its nodes. The first
 * failed check is logged once, as an error naming the bootstrap servers and since when; recovery is logged once; and
 * when the broker has been away longer than {@code --broker-timeout} (0 = wait forever) it runs {@code onTimeout}
 * (the worker's stop) and {@link #failure()} holds the message the worker exits with.
 */
public final class BrokerWatch implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BrokerWatch.class);
    /** How often the broker is asked; also the longest a check waits for its answer. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(2);

    private final ClusterConfig cluster;
    private final String worker;
    private final Runnable onTimeout;
    private final Thread thread;
    private volatile Instant unreachableSince;
    private volatile String failure;
    private volatile boolean closed;

    private BrokerWatch(ClusterConfig cluster, String worker, Runnable onTimeout) {
        this.cluster = cluster;
        this.worker = worker;
        this.onTimeout = onTimeout;
        this.thread = new Thread(this::watch, worker + "-broker-watch");
        this.thread.setDaemon(true);
    }

    /** Starts watching {@code cluster}'s broker for {@code worker}; {@code onTimeout} runs once if it stays away too long. */
    public static BrokerWatch start(ClusterConfig cluster, String worker, Runnable onTimeout) {
        BrokerWatch watch = new BrokerWatch(cluster, worker, onTimeout);
        watch.thread.start();
        return watch;
    }

    /** Since when the broker has not answered, or empty while it answers. */
    public Optional<Instant> unreachableSince() {
        return Optional.ofNullable(unreachableSince);
    }

    /** The message to stop with once the broker stayed away longer than {@code --broker-timeout}, or empty. */
    public Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** One short status for progress lines: empty while the broker answers. */
    public Optional<String> status() {
        Instant since = unreachableSince;
        return since == null ? Optional.empty() : Optional.of("BROKER UNREACHABLE at " + cluster.bootstrapServers() + " since " + since
                + " (" + Durations.format(Duration.ofSeconds(Duration.between(since, Instant.now()).toSeconds())) + ")");
    }

    private void watch() {
        int timeoutMs = (int) CHECK_EVERY.toMillis();
        // The watch's own client must not add to the reconnect noise it replaces: one attempt per check.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MS_CONFIG, timeoutMs,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, timeoutMs))) {
            while (!closed) {
                check(admin, timeoutMs);
                if (failure != null) {
                    return;
                }
                try {
                    Thread.sleep(CHECK_EVERY.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            log.error("{}: the broker watch failed; broker outages will not be reported: {}", worker, e.toString(), e);
        }
    }

    private void check(Admin admin, int timeoutMs) {
        String problem;
        try {
            admin.describeCluster().nodes().get(timeoutMs, TimeUnit.MILLISECONDS);
            if (unreachableSince != null) {
                log.info("{}: Kafka broker at {} reachable again after {} away", worker, cluster.bootstrapServers(),
                        Durations.format(Duration.ofSeconds(Duration.between(unreachableSince, Instant.now()).toSeconds())));
                unreachableSince = null;
            }
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
            return;
        } catch (ExecutionException e) {
            problem = e.getCause().toString();
        } catch (TimeoutException e) {
            problem = "no answer within " + timeoutMs + " ms";
        }
        if (closed) {
            return;
        }
        Duration limit = cluster.brokerTimeout();
        if (unreachableSince == null) {
            unreachableSince = Instant.now();
            log.error("{}: Kafka broker unreachable at {} since {} ({}). {}", worker, cluster.bootstrapServers(), unreachableSince, problem,
                    limit.isZero() ? "Waiting for it to come back (--broker-timeout 0); the clients reconnect by themselves."
                            : "Waiting up to " + Durations.format(limit) + " (--broker-timeout) for it to come back, then stopping.");
            return;
        }
        if (!limit.isZero() && Duration.between(unreachableSince, Instant.now()).compareTo(limit) >= 0) {
            failure = "Kafka broker unreachable at " + cluster.bootstrapServers() + " since " + unreachableSince + ", longer than --broker-timeout "
                    + Durations.format(limit) + ": stopping. Start the broker (or fix --bootstrap-servers) and restart this worker; it resumes "
                    + "from its committed position";
            log.error("{}: {}", worker, failure);
            onTimeout.run();
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
