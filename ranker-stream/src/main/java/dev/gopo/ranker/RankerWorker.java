package dev.gopo.ranker;

import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.ranker.topology.RankerTopology;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running ranker instance: the {@link RankerTopology} in a {@link KafkaStreams} client with
 * exactly-once processing. Closing it closes the client cleanly (commits, leaves the group).
 *
 * <p>A stream thread that dies of an unexpected exception (a bug, or the schema registry being
 * unreachable) shuts this instance down instead of being replaced in a tight loop; its open
 * transaction is aborted, so restarting the worker resumes from the last commit with nothing lost
 * or repeated.
 */
public final class RankerWorker implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RankerWorker.class);

    private final KafkaStreams streams;
    /** The Kafka Streams client metrics on the Prometheus endpoint (a no-op binding when it is off). */
    private final MetricsEndpoint.Binding streamsMetrics;
    private final CountDownLatch failed = new CountDownLatch(1);
    private final CountDownLatch running = new CountDownLatch(1);
    private volatile Throwable failure;

    private RankerWorker(KafkaStreams streams, MetricsEndpoint.Binding streamsMetrics) {
        this.streams = streams;
        this.streamsMetrics = streamsMetrics;
    }

    /**
     * Produce requests in flight on the stream thread's transactional producer, unless set: 1 instead of Kafka's 5.
     * With transactions v2 (Kafka 4.x) the first batch of each partition in a transaction is verified with the
     * coordinator, and right after a commit it can be answered {@code CONCURRENT_TRANSACTIONS} while the commit markers
     * are still written; with five requests in flight, the batches behind it reach the broker first and are refused
     * ({@code OutOfOrderSequenceException}, a broker ERROR each) and retried with back-off, which stalls the commit that
     * waits for them (one benchmark repeat took 12.7 s instead of 6.1 s). With one in flight nothing overtakes batch 0.
     * Measured with {@code gopo bench-ranker} (ranker README): no broker ERROR on the ranker's output, the same
     * throughput within the noise, emission latency p99 138 ms at half the sustained rate.
     */
    static final int PRODUCER_IN_FLIGHT = 1;

    /**
     * Batch size of that producer, unless set: 256 KiB instead of Kafka's 16 KiB, as the benchmark's copy baseline uses.
     * An {@code AdvantageGroup} of G = 8 with 64 tokens is ~3.3 KB, so a 16 KiB batch held four of them: one request in
     * flight with such batches carried little, and the broker paid its per-batch work for every few groups. Measured
     * with {@code gopo bench-ranker} (ranker README): median ratio 0.28 against 0.22 with the 16 KiB default, emission
     * latency p99 134 ms at half the sustained rate.
     */
    static final int PRODUCER_BATCH_BYTES = 256 * 1024;

    /**
     * Kafka Streams settings: the client-config file's properties, then {@code --streams-property} over them, then
     * the ranker's own options, with exactly_once_v2 always; the stream thread producer's defaults
     * ({@link #PRODUCER_IN_FLIGHT}, {@link #PRODUCER_BATCH_BYTES}) unless the user set them.
     */
    public static Properties streamsProperties(RankerConfig config) {
        Properties props = new Properties();
        props.putAll(config.cluster().client().kafka());
        props.putAll(config.streamsOverrides());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, config.cluster().bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toAbsolutePath().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, config.replicationFactor());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        // fewer NetworkClient warnings while the broker is away; the broker watch says it once (see KafkaClients)
        props.putIfAbsent(StreamsConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, KafkaClients.RECONNECT_BACKOFF_MAX_MS);
        producerDefault(props, ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, PRODUCER_IN_FLIGHT);
        producerDefault(props, ProducerConfig.BATCH_SIZE_CONFIG, PRODUCER_BATCH_BYTES);
        return props;
    }

    /** Sets the stream thread producer's {@code key} unless the user set it, with or without the {@code producer.} prefix. */
    private static void producerDefault(Properties props, String key, int value) {
        if (!props.containsKey(key) && !props.containsKey(StreamsConfig.producerPrefix(key))) {
            props.put(StreamsConfig.producerPrefix(key), value);
        }
    }

    /** Builds the topology and starts it; returns at once (see {@link #awaitRunning}). */
    public static RankerWorker start(RankerConfig config) {
        return start(config, MetricsEndpoint.off());
    }

    /**
     * Builds the topology and starts it with its metrics on {@code endpoint} ({@code --metrics-port}): the ranker's own
     * ({@link dev.gopo.ranker.topology.RankerMetrics}) and the Kafka Streams client's; returns at once.
     */
    public static RankerWorker start(RankerConfig config, MetricsEndpoint endpoint) {
        return start(RankerTopology.build(config, config.cluster().registryClient(), endpoint), config, endpoint);
    }

    /**
     * Starts {@code topology} with the ranker's Kafka Streams settings ({@link #streamsProperties}), state listener and
     * failure handling; returns at once. The ranker's own topology comes from {@link #start(RankerConfig, MetricsEndpoint)};
     * the benchmark runs a stateless copy this way, so that it is measured on exactly the ranker's settings.
     */
    public static RankerWorker start(Topology topology, RankerConfig config, MetricsEndpoint endpoint) {
        KafkaStreams streams = new KafkaStreams(topology, streamsProperties(config));
        RankerWorker worker = new RankerWorker(streams, endpoint.bindKafkaStreams(streams));
        streams.setUncaughtExceptionHandler(e -> {
            log.error("ranker stream thread failed; stopping this instance: restart it to resume from the last committed transaction", e);
            worker.failure = e;
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((now, before) -> {
            log.info("ranker state {} -> {}", before, now);
            if (now == KafkaStreams.State.RUNNING) {
                worker.running.countDown();
            } else if (now == KafkaStreams.State.ERROR) {
                worker.failed.countDown();
            }
        });
        streams.start();
        return worker;
    }

    public KafkaStreams streams() {
        return streams;
    }

    /** Waits until the instance has joined the group and is processing. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Blocks until {@code stop} is released (normal shutdown) or the instance fails.
     *
     * @return true when stopped on request, false when the instance failed (see {@link #failure()})
     */
    public boolean runUntil(CountDownLatch stop) throws InterruptedException {
        while (true) {
            if (stop.await(500, TimeUnit.MILLISECONDS)) {
                return true;
            }
            if (failed.getCount() == 0 || streams.state() == KafkaStreams.State.NOT_RUNNING) {
                return false;
            }
        }
    }

    /** The exception that stopped the instance, or null. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() {
        log.info("ranker closing (committing the open transaction and leaving the group)");
        streamsMetrics.close();
        if (!streams.close(Duration.ofSeconds(60))) {
            log.warn("ranker did not close within 60 s; its open transaction will be aborted by the broker");
        }
    }
}
