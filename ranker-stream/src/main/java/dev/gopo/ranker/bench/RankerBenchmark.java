package dev.gopo.ranker.bench;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.files.FileTrees;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.Durations;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.ranker.topology.RankerMetrics;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.topic.TopicNames;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput and latency of the ranker on the embedded broker + registry, against the ceiling of a
 * plain transactional copy of the same records, in one run:
 *
 * <ol>
 *   <li>produce {@code groups x G} completions (a fraction with external rewards instead of inline ones);</li>
 *   <li>ceiling: {@link CopyBaseline} copies that backlog exactly once; groups/s = records/s / records per group;</li>
 *   <li>ranker: the {@link dev.gopo.ranker.topology.RankerTopology} works off the same backlog, timed from
 *       RUNNING until a read_committed consumer has seen every group's advantages;</li>
 *   <li>latency: with the ranker idle and caught up, {@code latencyGroups} fresh groups are produced at a
 *       paced rate (half the measured ranker throughput by default) and two latencies are recorded per group:
 *       emission ({@code emittedAtMs - lastCompletionAtMs}, what the {@code ranker/latency_ms} metric
 *       measures) and visible (when a read_committed consumer got it, which adds the commit interval).</li>
 * </ol>
 */
public final class RankerBenchmark {
    private static final Logger log = LoggerFactory.getLogger(RankerBenchmark.class);

    /** Benchmark sizes and settings. */
    public record Options(int groups, int groupSize, int tokens, int partitions, int streamThreads, double externalFraction,
                          Duration commitInterval, int latencyGroups, double latencyRate, int warmupGroups, Path workDir) {
        public Options {
            if (groups < 1 || groupSize < 1 || tokens < 1 || partitions < 1 || streamThreads < 1 || latencyGroups < 0 || warmupGroups < 0) {
                throw new IllegalArgumentException("--groups, --group-size, --tokens, --partitions and --stream-threads must be at least 1, --latency-groups and --warmup-groups at least 0");
            }
            if (externalFraction < 0 || externalFraction > 1) {
                throw new IllegalArgumentException("--external-fraction must be between 0 and 1, got " + externalFraction);
            }
        }
    }

    /** What one run measured. */
    public record Result(Options options, long records, double produceSeconds, double copySeconds, double rankerSeconds, long deadLetters,
                         double latencyRate, Histogram emission, Histogram visible, PhaseHealth copyHealth, PhaseHealth rankerHealth) {
        /**
         * Whether the ceiling is void: the broker or a client logged an ERROR while the copy ran, or the copy producer
         * failed a send. A ceiling measured through errors (retries, back-offs, refused appends) is not a ceiling.
         */
        public boolean ceilingVoid() {
            return copyHealth.logErrors() > 0 || copyHealth.clientErrors() > 0;
        }

        double copyGroupsPerSecond() {
            return options.groups() / copySeconds;
        }

        double rankerGroupsPerSecond() {
            return options.groups() / rankerSeconds;
        }

        public String report() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("bench-ranker: %d groups x G=%d x %d tokens = %d records (external reward fraction %.2f), %d partitions, %d stream thread(s), commit interval %s, "
                            + "after a warm-up of %d groups%n",
                    options.groups(), options.groupSize(), options.tokens(), records, options.externalFraction(), options.partitions(),
                    options.streamThreads(), Durations.format(options.commitInterval()), options.warmupGroups()));
            s.append(String.format("machine:  %s%n", machine()));
            s.append(String.format("produce:  %d records in %.1f s (%.0f records/s)%n", records, produceSeconds, records / produceSeconds));
            s.append(String.format("ceiling:  transactional consume-produce copy: %.1f s = %.0f records/s = %.0f groups/s%n",
                    copySeconds, records / copySeconds, copyGroupsPerSecond()));
            s.append(String.format("ranker:   %.1f s = %.0f records/s = %.0f groups/s (GOPO, exactly_once_v2), dead letters %d%n",
                    rankerSeconds, records / rankerSeconds, rankerGroupsPerSecond(), deadLetters));
            s.append(String.format("health:   copy %s; ranker %s%n", copyHealth.describe(), rankerHealth.describe()));
            if (ceilingVoid()) {
                s.append(String.format("ratio:    VOID (ranker / ceiling would be %.2f): the ceiling was measured through errors, see above%n",
                        rankerGroupsPerSecond() / copyGroupsPerSecond()));
                copyHealth.samples().forEach(line -> s.append("          ").append(line).append(System.lineSeparator()));
            } else {
                s.append(String.format("ratio:    ranker / ceiling = %.2f%n", rankerGroupsPerSecond() / copyGroupsPerSecond()));
            }
            if (emission.getTotalCount() > 0) {
                s.append(String.format("latency:  %d groups at %.0f groups/s offered: emission p50 %d ms, p99 %d ms, max %d ms;"
                                + " visible to read_committed p50 %d ms, p99 %d ms, max %d ms%n",
                        emission.getTotalCount(), latencyRate, emission.getValueAtPercentile(50), emission.getValueAtPercentile(99), emission.getMaxValue(),
                        visible.getValueAtPercentile(50), visible.getValueAtPercentile(99), visible.getMaxValue()));
            }
            return s.toString();
        }
    }

    /**
     * What went wrong, harmlessly or not, while a phase ran: ERROR log events (broker or clients, any logger), WARN
     * events of Kafka loggers (a retried batch, a rebalance), and for the copy its producer's retried and failed
     * sends. {@code logWatched} is false when logback is not the slf4j binding: then only the client counts are known.
     */
    public record PhaseHealth(boolean logWatched, long logErrors, long logWarnings, long clientRetries, long clientErrors, List<String> samples) {
        static PhaseHealth of(LogWatch watch, long clientRetries, long clientErrors) {
            return new PhaseHealth(watch.available(), watch.errors(), watch.warnings(), clientRetries, clientErrors, watch.samples());
        }

        String describe() {
            String log = logWatched ? String.format("%d ERROR / %d Kafka WARN log lines", logErrors, logWarnings) : "log not watched (logback is not the slf4j binding)";
            return clientRetries < 0 ? log : String.format("%s, producer retries %d, send errors %d", log, clientRetries, clientErrors);
        }
    }

    private RankerBenchmark() {
    }

    public static Result run(Options o) throws Exception {
        Files.createDirectories(o.workDir());
        // a fresh state directory per run: the embedded broker is fresh too, and stale local state would not match it
        Path stateDir = Files.createTempDirectory(o.workDir(), "ranker-state-");
        try {
            return run(o, stateDir);
        } finally {
            FileTrees.deleteRecursively(stateDir);
        }
    }

    @SuppressWarnings("try") // EmbeddedInfra.close may throw InterruptedException; this method propagates it anyway
    private static Result run(Options o, Path stateDir) throws Exception {
        try (EmbeddedInfra infra = EmbeddedInfra.start(o.workDir().resolve("infra"), o.partitions(), true)) {
            SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
            BenchRecords data = new BenchRecords(o.groupSize(), o.tokens(), 42);
            if (o.warmupGroups() > 0) {
                warmUp(infra, o, stateDir.resolve("warm-up"), registry, data);
            }
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames("bench."));
            RankerConfig config = rankerConfig(cluster, o, stateDir);
            TopicNames names = config.topicNames();
            String copyTopic = names.prefix() + "copy";
            ensureTopics(cluster, config, copyTopic, o);

            log.info("producing {} groups of {} completions", o.groups(), o.groupSize());
            long t0 = System.nanoTime();
            long records = produce(cluster, registry, names, data, "g", o.groups(), o.externalFraction(), 0);
            double produceSeconds = (System.nanoTime() - t0) / 1e9;

            log.info("ceiling: transactional copy of {} records", records);
            CopyBaseline.Result copy;
            PhaseHealth copyHealth;
            try (LogWatch watch = LogWatch.start("copy")) {
                copy = CopyBaseline.run(cluster, config.inputTopics(), copyTopic, records, o.commitInterval(), "bench-copy");
                copyHealth = PhaseHealth.of(watch, copy.retries(), copy.errors());
            }
            if (copyHealth.logErrors() > 0 || copyHealth.clientErrors() > 0) {
                log.error("ceiling: the copy ran through errors ({}); its throughput voids the ratio", copyHealth.describe());
            }
            double copySeconds = copy.seconds();
            LogWatch rankerWatch = LogWatch.start("ranker");

            log.info("ranker: working off the same {} records", records);
            try (KafkaConsumer<String, byte[]> out = new KafkaConsumer<>(KafkaClients.consumer(cluster, "bench-out", "bench-out"),
                    new StringDeserializer(), new ByteArrayDeserializer());
                 RankerWorker ranker = RankerWorker.start(config)) {
                out.subscribe(List.of(config.advantagesTopic(config.estimators().get(0))));
                if (!ranker.awaitRunning(Duration.ofSeconds(60))) {
                    throw new IllegalStateException("ranker did not reach RUNNING within 60 s");
                }
                long start = System.nanoTime();
                awaitGroups(out, o.groups());
                double rankerSeconds = (System.nanoTime() - start) / 1e9;
                long deadLetters = RankerMetrics.Snapshot.of(ranker.streams().metrics()).deadLetters();

                double rate = o.latencyRate() > 0 ? o.latencyRate() : o.groups() / rankerSeconds / 2;
                Histogram emission = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
                Histogram visible = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
                if (o.latencyGroups() > 0) {
                    log.info("latency: {} groups at {} groups/s", o.latencyGroups(), String.format("%.0f", rate));
                    measureLatency(cluster, registry, names, data, o, rate, out, emission, visible);
                }
                log.info("ranker metrics: {}", RankerMetrics.Snapshot.of(ranker.streams().metrics()).toLogLine());
                PhaseHealth rankerHealth = PhaseHealth.of(rankerWatch, -1, 0);
                return new Result(o, records, produceSeconds, copySeconds, rankerSeconds, deadLetters, rate, emission, visible,
                        copyHealth, rankerHealth);
            } finally {
                rankerWatch.close();
            }
        }
    }

    /**
     * Runs the copy and the ranker once over {@code warmupGroups} groups on topics (and an application id) of their own,
     * unmeasured. In a cold JVM the C2 compiler threads took ~40 % of the process's CPU during the ranker phase of 20 000
     * groups. The warm-up takes that off the copy, but the measured ranker (a new Kafka Streams instance) still spent
     * ~4 s in C2 compilations of its own code in a 7.7 s phase after a 5 000-group warm-up, so it is off by default:
     * both phases then pay for their JIT, as before.
     */
    private static void warmUp(EmbeddedInfra infra, Options o, Path stateDir, SchemaRegistryClient registry, BenchRecords data) throws Exception {
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames("bench.warm-up."));
        RankerConfig config = rankerConfig(cluster, o, stateDir);
        String copyTopic = config.topicNames().prefix() + "copy";
        ensureTopics(cluster, config, copyTopic, o);
        log.info("warm-up: {} groups through the copy and the ranker on topics of their own (not measured)", o.warmupGroups());
        long records = produce(cluster, registry, config.topicNames(), data, "w", o.warmupGroups(), o.externalFraction(), 0);
        CopyBaseline.run(cluster, config.inputTopics(), copyTopic, records, o.commitInterval(), "bench-warm-up-copy");
        try (KafkaConsumer<String, byte[]> out = new KafkaConsumer<>(KafkaClients.consumer(cluster, "bench-warm-up-out", "bench-warm-up-out"),
                new StringDeserializer(), new ByteArrayDeserializer());
             RankerWorker ranker = RankerWorker.start(config)) {
            out.subscribe(List.of(config.advantagesTopic(config.estimators().get(0))));
            awaitGroups(out, o.warmupGroups());
        }
    }

    private static RankerConfig rankerConfig(ClusterConfig cluster, Options o, Path stateDir) {
        return RankerConfig.builder(cluster).stateDir(stateDir).commitInterval(o.commitInterval())
                .streamThreads(o.streamThreads()).replicationFactor(1).topicPartitions(o.partitions()).logInterval(Duration.ofSeconds(10)).build();
    }

    private static void ensureTopics(ClusterConfig cluster, RankerConfig config, String copyTopic, Options o) {
        List<String> topics = new ArrayList<>(config.inputTopics());
        topics.addAll(config.outputTopics());
        topics.add(copyTopic);
        KafkaClients.ensureTopics(cluster, topics, o.partitions());
    }

    /** Polls (read_committed) until {@code groups} distinct groups arrived; a group seen twice fails the run. */
    private static void awaitGroups(KafkaConsumer<String, byte[]> out, int groups) {
        Set<String> seen = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(20);
        while (seen.size() < groups) {
            for (ConsumerRecord<String, byte[]> r : out.poll(Duration.ofMillis(100))) {
                if (!seen.add(r.key())) {
                    throw new IllegalStateException("group " + r.key() + " emitted twice");
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("ranker emitted only " + seen.size() + " of " + groups + " groups in 20 minutes");
            }
        }
    }

    /** Produces {@code groups} groups with ids {@code <prefix>-<n>}; a fraction gets external rewards. Returns records written. */
    private static long produce(ClusterConfig cluster, SchemaRegistryClient registry, TopicNames names, BenchRecords data, String prefix,
                                int groups, double externalFraction, double groupsPerSecond) {
        Map<String, Object> props = KafkaClients.producer(cluster, "bench-producer");
        props.put(ProducerConfig.LINGER_MS_CONFIG, groupsPerSecond > 0 ? 0 : 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AtomicLong failed = new AtomicLong();
        long records = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, Completion> completions = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<Completion>(registry));
             KafkaProducer<String, Reward> rewards = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<Reward>(registry))) {
            for (int n = 0; n < groups; n++) {
                if (groupsPerSecond > 0) {
                    pace(start, n, groupsPerSecond);
                }
                String groupId = prefix + "-" + n;
                // spread external-reward groups evenly: group n is external when floor((n+1) f) > floor(n f)
                boolean external = Math.floor((n + 1) * externalFraction) > Math.floor(n * externalFraction);
                for (int i = 0; i < data.groupSize(); i++) {
                    Completion c = data.completion(groupId, i, external ? null : data.nextReward());
                    completions.send(new ProducerRecord<>(names.completions(), groupId, c), (m, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                    });
                    records++;
                    if (external) {
                        rewards.send(new ProducerRecord<>(names.rewards(), groupId, data.reward(groupId, i)));
                        records++;
                    }
                }
            }
            completions.flush();
            rewards.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " benchmark records could not be produced");
        }
        return records;
    }

    private static void pace(long startNanos, int n, double perSecond) {
        long due = startNanos + (long) (n / perSecond * 1e9);
        long wait = due - System.nanoTime();
        if (wait > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pacing the benchmark producer", e);
            }
        }
    }

    private static void measureLatency(ClusterConfig cluster, SchemaRegistryClient registry, TopicNames names, BenchRecords data, Options o, double rate,
                                       KafkaConsumer<String, byte[]> out, Histogram emission, Histogram visible) throws InterruptedException {
        AvroDeserializer<AdvantageGroup> decoder = new AvroDeserializer<>(registry, AdvantageGroup.class);
        Thread producer = new Thread(() -> produce(cluster, registry, names, data, "lat", o.latencyGroups(), o.externalFraction(), rate), "bench-latency-producer");
        producer.start();
        long seen = 0;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (seen < o.latencyGroups() && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : out.poll(Duration.ofMillis(20))) {
                long receivedAt = System.currentTimeMillis();
                AdvantageGroup g = decoder.deserialize(r.topic(), r.value());
                emission.recordValue(Math.max(0, g.getEmittedAtMs() - g.getLastCompletionAtMs()));
                visible.recordValue(Math.max(0, receivedAt - g.getLastCompletionAtMs()));
                seen++;
            }
        }
        producer.join();
        if (seen < o.latencyGroups()) {
            throw new IllegalStateException("latency phase saw only " + seen + " of " + o.latencyGroups() + " groups");
        }
    }

    /** Same as {@code gopo bench-ranker}. */
    public static void main(String[] args) {
        RankerBenchmarkCommand.main(args);
    }

    static String machine() {
        String model = "unknown CPU";
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                    break;
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the model stays unknown, the rest is still useful
        }
        long memory = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os ? os.getTotalMemorySize() : -1;
        return String.format("%d cores (nproc), %s, %d GiB RAM, Java %s", Runtime.getRuntime().availableProcessors(), model,
                memory >> 30, System.getProperty("java.version"));
    }
}
