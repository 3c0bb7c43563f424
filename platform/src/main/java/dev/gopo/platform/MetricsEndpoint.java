package dev.gopo.platform;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's Prometheus scrape endpoint ({@code --metrics-port}): a Micrometer {@link PrometheusMeterRegistry} served at
 * {@code /metrics} by the JDK's {@link HttpServer}, so no web framework rides along in every worker.
 *
 * <p>Workers record through it without naming Micrometer: {@link #latest} turns the namespaced metric map a worker
 * already builds ({@code loss/policy}, {@code ratio/clip_fraction}) into gauges that read the newest values, and
 * {@link #count} adds to a tagged counter. Every meter carries the tag {@code worker}. Port 0 gives {@link #off()}: no
 * registry, no socket, every call a no-op, so a worker's code is the same with or without the endpoint.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** Prefix of every project metric, so the project's metrics sort apart from the Kafka clients' ({@code kafka_*}). */
    static final String PREFIX = "gopo.";

    private final String worker;
    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;
    private final Map<String, Double> latest = new ConcurrentHashMap<>();

    private MetricsEndpoint(String worker, PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.worker = worker;
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /** An endpoint that records nothing and serves nothing (port 0). */
    public static MetricsEndpoint off() {
        return new MetricsEndpoint("off", null, null, null);
    }

    /**
     * Starts serving {@code /metrics} on {@code port} of every interface, or returns {@link #off()} for port 0.
     *
     * @param worker the worker's name, the value of every meter's {@code worker} tag (e.g. {@code learner})
     * @throws IllegalArgumentException for a port outside 0..65535
     * @throws UncheckedIOException when the port cannot be bound (say which, so the operator can pick another)
     */
    public static MetricsEndpoint start(int port, String worker) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--metrics-port must be 0 (off) or a TCP port up to 65535, not " + port);
        }
        if (port == 0) {
            return off();
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("worker", worker);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            registry.close();
            throw new UncheckedIOException("cannot serve metrics on port " + port + " (--metrics-port / GOPO_METRICS_PORT): "
                    + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> {
            try (exchange) {
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        // One daemon thread: scrapes are rare and small, and a stuck scrape must not keep the worker's JVM alive.
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http-" + worker);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        log.info("{} metrics at http://localhost:{}/metrics", worker, server.getAddress().getPort());
        return new MetricsEndpoint(worker, registry, server, executor);
    }

    /** Whether this endpoint serves anything (false for port 0). */
    public boolean isOn() {
        return registry != null;
    }

    /** The bound port (useful when started on an ephemeral one), empty when off. */
    public Optional<Integer> port() {
        return isOn() ? Optional.of(server.getAddress().getPort()) : Optional.empty();
    }

    /**
     * Makes {@code values} the newest values of their gauges, registering a gauge the first time a key is seen. Keys
     * are the worker's namespaced names; {@code group/key} becomes {@code gopo_<group>_<key>} in Prometheus (see
     * {@link #prometheusName}). Keys under a {@code hist/} segment (one key per observed value) are left out: their
     * number is unbounded, which Prometheus handles badly.
     */
    public void latest(Map<String, Double> values) {
        if (!isOn()) {
            return;
        }
        values.forEach((key, value) -> {
            if (key.contains("/hist/") || value == null) {
                return;
            }
            if (latest.put(key, value) == null) {
                Gauge.builder(PREFIX + key.replace('/', '.'), latest, m -> m.getOrDefault(key, Double.NaN))
                        .description("latest " + worker + " " + key).register(registry);
            }
        });
    }

    /** Adds {@code amount} to the counter {@code name} (namespaced, e.g. {@code ranker/groups}) with the given tag pairs. */
    public void count(String name, double amount, String... tagPairs) {
        if (isOn()) {
            Counter.builder(PREFIX + name.replace('/', '.')).tags(Tags.of(tagPairs)).register(registry).increment(amount);
        }
    }

    /** A binding of a client's metrics; closing it stops reading the client (close it before the client). */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /** Binds a consumer's client metrics ({@code kafka_consumer_*}) until the returned handle is closed. */
    public Binding bindKafka(Consumer<?, ?> consumer) {
        return isOn() ? bind(new KafkaClientMetrics(consumer)) : () -> { };
    }

    /** Binds a producer's client metrics ({@code kafka_producer_*}) until the returned handle is closed. */
    public Binding bindKafka(Producer<?, ?> producer) {
        return isOn() ? bind(new KafkaClientMetrics(producer)) : () -> { };
    }

    private Binding bind(KafkaClientMetrics metrics) {
        metrics.bindTo(registry);
        return metrics::close;
    }

    /** The Prometheus text a scrape returns now; empty when off. */
    public String scrape() {
        return isOn() ? registry.scrape() : "";
    }

    /** The registry, for workers that bind Micrometer binders themselves (e.g. Kafka Streams); empty when off. */
    public Optional<MeterRegistry> registry() {
        return Optional.ofNullable(registry);
    }

    /**
     * The Prometheus name of a namespaced gauge key, e.g. {@code loss/policy} → {@code gopo_loss_policy}. Prometheus
     * reserves {@code _total} for counters, so a gauge key ending in {@code /total} loses it: {@code loss/total} →
     * {@code gopo_loss}.
     */
    public static String prometheusName(String key) {
        String name = (PREFIX + key).replace('/', '_').replace('.', '_').toLowerCase(Locale.ROOT);
        return name.endsWith("_total") ? name.substring(0, name.length() - "_total".length()) : name;
    }

    @Override
    public void close() {
        if (isOn()) {
            server.stop(0);
            executor.shutdownNow();
            registry.close();
        }
    }
}
