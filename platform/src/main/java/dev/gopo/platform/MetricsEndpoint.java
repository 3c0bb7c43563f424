package dev.gopo.platform;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker's Prometheus scrape endpoint ({@code --metrics-port}): a Micrometer {@link PrometheusMeterRegistry} served at
 * {@code /metrics} by the JDK's {@link HttpServer}, so no web framework rides along in every worker.
 *
 * <p>Workers record through it without naming Micrometer: {@link #latest} turns the namespaced metric map a worker
 * already builds ({@code loss/policy}, {@code ratio/clip_fraction}) into gauges that read the newest values, and
 * {@link #count} adds to a tagged counter. Hot paths take a handle once ({@link #counter}, {@link #timer}) instead of
 * looking the meter up per event; {@link #cumulative} exports a total a worker already keeps. Every meter carries the
 * tag {@code worker}. Port 0 gives {@link #off()}: no registry, no socket, every call a no-op (handles included), so a
 * worker's code is the same with or without the endpoint.
 *
 * <p>Kafka clients ({@link #bindKafka}, {@link #bindKafkaStreams}) are read through Micrometer's Kafka binders, which
 * look for new client metrics (per topic, per partition, per task) every {@link #KAFKA_REFRESH}. Sensors the project
 * itself registers in a Kafka metrics registry (the ranker's, group {@code gopo-ranker}) are left out of that: the
 * worker exports those measurements under {@code gopo_*} itself, so a dashboard sees each once.
 */
public final class MetricsEndpoint implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MetricsEndpoint.class);
    /** Prefix of every project metric, so the project's metrics sort apart from the Kafka clients' ({@code kafka_*}). */
    static final String PREFIX = "gopo.";
    /** Meter-name prefix Micrometer's Kafka binders give the project's own Kafka sensors ({@code kafka.<group>.<name>}). */
    static final String PROJECT_KAFKA_SENSORS = "kafka.gopo";
    /** How often a Kafka binding looks for client metrics that appeared since (new partitions, tasks, threads). */
    static final Duration KAFKA_REFRESH = Duration.ofSeconds(15);
    /** Percentiles every {@link #timer} publishes (over Micrometer's sliding window of about the last two minutes). */
    static final double[] PERCENTILES = {0.5, 0.9, 0.99};
    /** A no-op handle, what an endpoint that is off returns. */
    private static final Count NO_COUNT = amount -> { };
    private static final Latency NO_LATENCY = (amount, unit) -> { };

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
        // the project's own Kafka sensors (group gopo-*): exported by the worker as gopo_* (see the class comment)
        registry.config().meterFilter(MeterFilter.denyNameStartsWith(PROJECT_KAFKA_SENSORS));
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
        counter(name, null, tagPairs).add(amount);
    }

    /** A counter's handle: adding to it is one atomic add, no lookup. */
    @FunctionalInterface
    public interface Count {
        void add(double amount);

        default void increment() {
            add(1);
        }
    }

    /** A latency recorder's handle (see {@link #timer}). */
    @FunctionalInterface
    public interface Latency {
        void record(long amount, TimeUnit unit);
    }

    /**
     * The counter {@code name} with the given tag pairs, registered now so that a 0 is visible before the first event:
     * {@code counter("ranker/groups_emitted", ...)} is {@code gopo_ranker_groups_emitted_total} in Prometheus.
     *
     * @param description shown as the series' {@code # HELP}; null for none
     */
    public Count counter(String name, String description, String... tagPairs) {
        if (!isOn()) {
            return NO_COUNT;
        }
        return Counter.builder(meterName(name)).description(description).tags(Tags.of(tagPairs)).register(registry)::increment;
    }

    /**
     * A timer {@code name}: {@code timer("ranker/emission_latency", ...)} is {@code gopo_ranker_emission_latency_seconds}
     * with {@code quantile} 0.5, 0.9 and 0.99 (of about the last two minutes), {@code _count}, {@code _sum} and
     * {@code _max}, in seconds whatever unit is recorded.
     */
    public Latency timer(String name, String description) {
        if (!isOn()) {
            return NO_LATENCY;
        }
        Timer timer = Timer.builder(meterName(name)).description(description).publishPercentiles(PERCENTILES).register(registry);
        return timer::record;
    }

    /**
     * Exports a running total the worker keeps itself (monotonic, e.g. seconds paused) as a counter read at scrape time:
     * {@code cumulative("generator/paused", "seconds", ...)} is {@code gopo_generator_paused_seconds_total}. Micrometer
     * holds {@code state} weakly: pass the long-lived object that owns the total (the worker), not a lambda.
     *
     * @param baseUnit the unit of what {@code total} returns (e.g. {@code seconds}), or null
     */
    public <T> void cumulative(String name, String baseUnit, String description, T state, ToDoubleFunction<T> total) {
        if (isOn()) {
            FunctionCounter.builder(meterName(name), state, total).baseUnit(baseUnit).description(description).register(registry);
        }
    }

    private static String meterName(String name) {
        return PREFIX + name.replace('/', '.');
    }

    /** A binding of a client's metrics; closing it stops reading the client (close it before the client). */
    public interface Binding extends AutoCloseable {
        @Override
        void close();
    }

    /** Binds a consumer's client metrics ({@code kafka_consumer_*}) until the returned handle is closed. */
    public Binding bindKafka(Consumer<?, ?> consumer) {
        return bind(scheduler -> {
            KafkaClientMetrics metrics = new KafkaClientMetrics(consumer, List.of(), scheduler, KAFKA_REFRESH);
            return bound(metrics, metrics::close);
        });
    }

    /** Binds a producer's client metrics ({@code kafka_producer_*}) until the returned handle is closed. */
    public Binding bindKafka(Producer<?, ?> producer) {
        return bind(scheduler -> {
            KafkaClientMetrics metrics = new KafkaClientMetrics(producer, List.of(), scheduler, KAFKA_REFRESH);
            return bound(metrics, metrics::close);
        });
    }

    /** Binds the producer of a worker's {@link RecordPublisher} ({@code kafka_producer_*}). */
    public Binding bindKafka(RecordPublisher publisher) {
        return bindKafka(publisher.producer());
    }

    /** Binds a worker's consumer and its {@link RecordPublisher}'s producer, the usual pair; closing closes both. */
    public Binding bindKafka(Consumer<?, ?> consumer, RecordPublisher publisher) {
        Binding in = bindKafka(consumer);
        Binding out = bindKafka(publisher);
        return () -> {
            out.close();
            in.close();
        };
    }

    /**
     * Binds a Kafka Streams client's metrics (Micrometer's {@code KafkaStreamsMetrics}): {@code kafka_stream_*} of the
     * client, its threads, tasks and stores, plus {@code kafka_consumer_*}, {@code kafka_producer_*} and
     * {@code kafka_admin_client_*} of the clients it runs. Needs kafka-streams on the class path (the ranker has it); a
     * name of its own, not a {@code bindKafka} overload, so that callers of the others compile without it.
     */
    public Binding bindKafkaStreams(KafkaStreams streams) {
        return bind(scheduler -> {
            KafkaStreamsMetrics metrics = new KafkaStreamsMetrics(streams, List.of(), scheduler, KAFKA_REFRESH);
            return bound(metrics, metrics::close);
        });
    }

    /**
     * Runs a Micrometer Kafka binder with its own daemon refresh thread, both ended by the returned handle: Micrometer
     * does not stop a refresh task on a scheduler it was given, so the handle shuts the scheduler down itself.
     */
    private Binding bind(Function<ScheduledExecutorService, Binding> binder) {
        if (!isOn()) {
            return () -> { };
        }
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "metrics-kafka-" + worker);
            t.setDaemon(true);
            return t;
        });
        Binding binding;
        try {
            binding = binder.apply(scheduler);
        } catch (RuntimeException e) {
            scheduler.shutdownNow();
            throw e;
        }
        return () -> {
            scheduler.shutdownNow();
            binding.close();
        };
    }

    private Binding bound(MeterBinder binder, Binding close) {
        binder.bindTo(registry);
        return close;
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
