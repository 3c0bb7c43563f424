package dev.gopo.ranker.bench;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.files.FileTrees;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.Durations;
import dev.gopo.platform.bench.Spread;
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
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Throughput and latency of the ranker on the embedded broker + registry, against the ceiling of a
 * plain transactional copy of the same records, in one run:
 *
 * <ol>
 *   <li>warm-up (unless {@code warmupGroups} is 0): rounds of {@code warmupGroups} groups through the copy and the ranker
 *       on topics of their own, each followed by a wait for the JIT compile queue to drain, until a round compiled for
 *       less than {@value #QUIET_JIT_SHARE_PERCENT} % of its time or after {@code warmupRounds} rounds (see {@link JitClock});</li>
 *   <li>produce {@code groups x G} completions (a fraction with external rewards instead of inline ones);</li>
 *   <li>{@code repeats} times, alternately on that same backlog:
 *     <ul>
 *       <li>ceiling: {@link CopyBaseline} copies the backlog exactly once (a new consumer group and transactional id each
 *           time); groups/s = records/s / records per group;</li>
 *       <li>Kafka Streams copy: {@link StreamsCopy} does the ceiling's work through Kafka Streams with the ranker's settings
 *           (what the framework itself costs, before any decoding or state);</li>
 *       <li>ranker: a new {@link dev.gopo.ranker.topology.RankerTopology} instance (new application id, empty state) works
 *           off the backlog, timed from RUNNING until a read_committed consumer has seen every group's advantages;</li>
 *     </ul>
 *     the ratio is reported per repeat and as the median;</li>
 *   <li>latency, with the last repeat's ranker idle and caught up: {@code latencyGroups} fresh groups are produced at a
 *       paced rate (half the median of the repeats' ranker throughputs by default; the machine's CPU busy share during the phase is reported) and two latencies are recorded per group:
 *       emission ({@code emittedAtMs - lastCompletionAtMs}, what the {@code ranker/latency_ms} metric
 *       measures) and visible (when a read_committed consumer got it, which adds the commit interval).</li>
 * </ol>
 *
 * Every phase reports the JIT compilation time it contained, so a figure measured while the compiler competed for
 * the cores shows it.
 */
public final class RankerBenchmark {
    private static final Logger log = LoggerFactory.getLogger(RankerBenchmark.class);
    /** A warm-up round that compiled for less than this share of its wall time ends the warm-up. */
    static final int QUIET_JIT_SHARE_PERCENT = 10;
    private static final Duration DRAIN_MAX = Duration.ofSeconds(30);
    /** Groups paced through the ranker before the measured latency groups, so that the paced path is compiled too. */
    static final int LATENCY_WARMUP_GROUPS = 5000;

    /** Benchmark sizes and settings. */
    public record Options(int groups, int groupSize, int tokens, int partitions, int streamThreads, double externalFraction,
                          Duration commitInterval, int latencyGroups, double latencyRate, int warmupGroups, int warmupRounds, int repeats,
                          Map<String, String> streamsProperties, Path workDir) {
        public Options {
            streamsProperties = Map.copyOf(streamsProperties);
            if (groups < 1 || groupSize < 1 || tokens < 1 || partitions < 1 || streamThreads < 1 || repeats < 1 || warmupRounds < 1) {
                throw new IllegalArgumentException("--groups, --group-size, --tokens, --partitions, --stream-threads, --repeats and --warmup-rounds must be at least 1");
            }
            if (latencyGroups < 0 || warmupGroups < 0) {
                throw new IllegalArgumentException("--latency-groups and --warmup-groups must be at least 0");
            }
            if (externalFraction < 0 || externalFraction > 1) {
                throw new IllegalArgumentException("--external-fraction must be between 0 and 1, got " + externalFraction);
            }
        }
    }

    /**
     * One measured phase: wall time, JIT compilation time inside it, what was logged meanwhile, and for a Kafka Streams
     * phase where its stream thread's time went ({@link StreamThreadTime}; empty for the plain copy).
     */
    public record Phase(double seconds, double jitSeconds, PhaseHealth health, String threadTime) {
    }

    /** One ceiling, Kafka Streams copy and ranker triple on the same backlog. */
    public record Repeat(Phase copy, Phase streamsCopy, Phase ranker, long deadLetters) {
        double ratio() {
            return copy.seconds() / ranker.seconds();
        }

        double streamsCopyRatio() {
            return copy.seconds() / streamsCopy.seconds();
        }
    }

    /** The warm-up: per round, its wall time and the JIT compilation time in it. */
    public record WarmUp(int groupsPerRound, List<Double> roundSeconds, List<Double> roundJitSeconds) {
        static WarmUp none() {
            return new WarmUp(0, List.of(), List.of());
        }

        String describe() {
            if (roundSeconds.isEmpty()) {
                return "no warm-up";
            }
            StringBuilder s = new StringBuilder(String.format("warm-up %d round(s) x %d groups, JIT share per round", roundSeconds.size(), groupsPerRound));
            for (int i = 0; i < roundSeconds.size(); i++) {
                s.append(String.format(" %.0f%%", 100 * roundJitSeconds.get(i) / roundSeconds.get(i)));
            }
            return s.toString();
        }
    }

    /** What one run measured. */
    public record Result(Options options, long records, double produceSeconds, WarmUp warmUp, List<Repeat> repeats,
                         double latencyRate, Histogram emission, Histogram visible, double latencyCpuBusy) {
        /**
         * Whether the ceiling is void: the broker or a client logged an ERROR while a copy ran, or a copy producer failed
         * a send. A ceiling measured through errors (retries, back-offs, refused appends) is not a ceiling.
         */
        public boolean ceilingVoid() {
            return repeats.stream().anyMatch(r -> r.copy().health().logErrors() > 0 || r.copy().health().clientErrors() > 0);
        }

        double groupsPerSecond(Phase p) {
            return options.groups() / p.seconds();
        }

        Spread over(ToDoubleFunction<Repeat> figure) {
            return Spread.of(repeats.stream().mapToDouble(figure).toArray());
        }

        public String report() {
            StringBuilder s = new StringBuilder();
            s.append(String.format("bench-ranker: %d groups x G=%d x %d tokens = %d records (external reward fraction %.2f), %d partitions, %d stream thread(s), commit interval %s, "
                            + "%d repeat(s), %s%n",
                    options.groups(), options.groupSize(), options.tokens(), records, options.externalFraction(), options.partitions(),
                    options.streamThreads(), Durations.format(options.commitInterval()), repeats.size(), warmUp.describe()));
            if (!options.streamsProperties().isEmpty()) {
                s.append(String.format("streams:  %s%n", options.streamsProperties()));
            }
            s.append(String.format("machine:  %s%n", machine()));
            s.append(String.format("produce:  %d records in %.1f s (%.0f records/s)%n", records, produceSeconds, records / produceSeconds));
            for (int i = 0; i < repeats.size(); i++) {
                Repeat r = repeats.get(i);
                s.append(String.format("repeat %d: ceiling (transactional copy) %.1f s = %.0f records/s = %.0f groups/s, JIT %.1f s | ranker %.1f s = %.0f records/s = %.0f groups/s, JIT %.1f s | ratio %.2f%n",
                        i + 1, r.copy().seconds(), records / r.copy().seconds(), groupsPerSecond(r.copy()), r.copy().jitSeconds(),
                        r.ranker().seconds(), records / r.ranker().seconds(), groupsPerSecond(r.ranker()), r.ranker().jitSeconds(), r.ratio()));
                s.append(String.format("          health: copy %s; ranker %s; dead letters %d%n", r.copy().health().describe(),
                        r.ranker().health().describe(), r.deadLetters()));
                s.append(String.format("          ranker: %s%n", r.ranker().threadTime()));
                s.append(String.format("          Kafka Streams copy (the ceiling's work, stateless, with the ranker's Kafka Streams settings) %.1f s = %.0f groups/s, JIT %.1f s, ratio %.2f%n",
                        r.streamsCopy().seconds(), groupsPerSecond(r.streamsCopy()), r.streamsCopy().jitSeconds(), r.streamsCopyRatio()));
                s.append(String.format("          Kafka Streams copy: %s; health %s%n", r.streamsCopy().threadTime(), r.streamsCopy().health().describe()));
            }
            Spread ratios = over(Repeat::ratio);
            Spread streamsCopy = over(Repeat::streamsCopyRatio);
            s.append(String.format("median:   ceiling %.0f groups/s, ranker %.0f groups/s (GOPO, exactly_once_v2)%n",
                    over(r -> groupsPerSecond(r.copy())).median(), over(r -> groupsPerSecond(r.ranker())).median()));
            s.append(String.format("kstreams: Kafka Streams copy / ceiling = %.2f (median of %d; min %.2f, max %.2f): the framework's own cost for the ceiling's work%n",
                    streamsCopy.median(), streamsCopy.n(), streamsCopy.min(), streamsCopy.max()));
            if (ceilingVoid()) {
                s.append(String.format("ratio:    VOID (ranker / ceiling would be %.2f): a ceiling was measured through errors, see above%n", ratios.median()));
                repeats.forEach(r -> r.copy().health().samples().forEach(line -> s.append("          ").append(line).append(System.lineSeparator())));
            } else {
                s.append(String.format("ratio:    ranker / ceiling = %.2f (median of %d; min %.2f, max %.2f)%n", ratios.median(), ratios.n(),
                        ratios.min(), ratios.max()));
            }
            if (emission.getTotalCount() > 0) {
                s.append(String.format("latency:  %d groups at %.0f groups/s offered: emission p50 %d ms, p99 %d ms, max %d ms;"
                                + " visible to read_committed p50 %d ms, p99 %d ms, max %d ms; machine CPU busy %s during the phase%n",
                        emission.getTotalCount(), latencyRate, emission.getValueAtPercentile(50), emission.getValueAtPercentile(99), emission.getMaxValue(),
                        visible.getValueAtPercentile(50), visible.getValueAtPercentile(99), visible.getMaxValue(),
                        Double.isNaN(latencyCpuBusy) ? "unknown (no /proc/stat)" : String.format("%.0f %%", 100 * latencyCpuBusy)));
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
            JitClock jit = new JitClock();
            WarmUp warmUp = o.warmupGroups() > 0 ? warmUp(infra, o, stateDir.resolve("warm-up"), registry, data, jit) : WarmUp.none();
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames("bench."));
            RankerConfig base = rankerConfig(cluster, o, stateDir.resolve("ranker-0"), null);
            TopicNames names = base.topicNames();
            String copyTopic = names.prefix() + "copy";
            String streamsCopyTopic = names.prefix() + "streams-copy";
            ensureTopics(cluster, base, List.of(copyTopic, streamsCopyTopic), o);

            log.info("producing {} groups of {} completions", o.groups(), o.groupSize());
            long t0 = System.nanoTime();
            long records = produce(cluster, registry, names, data, "g", o.groups(), o.externalFraction());
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            jit.awaitQuiet(DRAIN_MAX);

            List<Repeat> repeats = new ArrayList<>();
            Histogram emission = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
            Histogram visible = new Histogram(TimeUnit.HOURS.toMillis(1), 3);
            double rate = 0;
            double latencyCpuBusy = Double.NaN;
            for (int r = 1; r <= o.repeats(); r++) {
                log.info("repeat {} of {}: ceiling, a transactional copy of {} records", r, o.repeats(), records);
                Phase copy = copyPhase(cluster, base, copyTopic, records, o, "bench-copy-" + r, jit);
                if (copy.health().logErrors() > 0 || copy.health().clientErrors() > 0) {
                    log.error("ceiling: the copy ran through errors ({}); its throughput voids the ratio", copy.health().describe());
                }
                Phase streamsCopy = streamsCopyPhase(cluster, o, stateDir.resolve("streams-copy-" + r), names.prefix() + "streams-copy-" + r,
                        streamsCopyTopic, records, jit);
                RankerConfig config = rankerConfig(cluster, o, stateDir.resolve("ranker-" + r), names.prefix() + "ranker-" + r);
                boolean last = r == o.repeats();
                log.info("repeat {} of {}: ranker (application id {}) working off the same {} records", r, o.repeats(), config.applicationId(), records);
                LogWatch watch = LogWatch.start("ranker-" + r);
                try (KafkaConsumer<String, byte[]> out = outputConsumer(cluster, config, "bench-out-" + r);
                     RankerWorker ranker = RankerWorker.start(config)) {
                    if (!ranker.awaitRunning(Duration.ofSeconds(60))) {
                        throw new IllegalStateException("ranker did not reach RUNNING within 60 s");
                    }
                    long jit0 = jit.compiledMs();
                    StreamThreadTime thread0 = StreamThreadTime.now(config.applicationId(), ranker.streams().metrics());
                    long start = System.nanoTime();
                    awaitGroups(out, o.groups());
                    double seconds = (System.nanoTime() - start) / 1e9;
                    String threadTime = StreamThreadTime.now(config.applicationId(), ranker.streams().metrics()).describeSince(thread0, seconds);
                    double jitSeconds = (jit.compiledMs() - jit0) / 1e3;
                    long deadLetters = RankerMetrics.Snapshot.of(ranker.streams().metrics()).deadLetters();
                    repeats.add(new Repeat(copy, streamsCopy, new Phase(seconds, jitSeconds, PhaseHealth.of(watch, -1, 0), threadTime), deadLetters));
                    if (last && o.latencyGroups() > 0) {
                        // half the median of the repeats' throughputs, so that one fast last repeat does not set the rate
                        rate = o.latencyRate() > 0 ? o.latencyRate() : Spread.of(repeats.stream().mapToDouble(p -> o.groups() / p.ranker().seconds()).toArray()).median() / 2;
                        log.info("latency: {} groups at {} groups/s", o.latencyGroups(), String.format("%.0f", rate));
                        int warmGroups = Math.min(LATENCY_WARMUP_GROUPS, o.latencyGroups());
                        log.info("latency warm-up: {} groups at the same rate, not recorded", warmGroups);
                        measureLatency(cluster, registry, names, data, o, rate, out, "lat-warm-up", warmGroups, null, null);
                        jit.awaitQuiet(DRAIN_MAX);
                        MachineCpu.Reading cpu0 = MachineCpu.read();
                        measureLatency(cluster, registry, names, data, o, rate, out, "lat", o.latencyGroups(), emission, visible);
                        latencyCpuBusy = MachineCpu.busyShare(cpu0, MachineCpu.read());
                    }
                    log.info("ranker metrics: {}", RankerMetrics.Snapshot.of(ranker.streams().metrics()).toLogLine());
                } finally {
                    watch.close();
                }
                jit.awaitQuiet(DRAIN_MAX);
            }
            return new Result(o, records, produceSeconds, warmUp, repeats, rate, emission, visible, latencyCpuBusy);
        }
    }

    private static Phase copyPhase(ClusterConfig cluster, RankerConfig config, String copyTopic, long records, Options o, String name, JitClock jit) {
        try (LogWatch watch = LogWatch.start(name)) {
            long jit0 = jit.compiledMs();
            CopyBaseline.Result copy = CopyBaseline.run(cluster, config.inputTopics(), copyTopic, records, o.commitInterval(), name);
            // the copy's own clock starts at its first record; the JIT time counts the whole call, a slight overcount
            return new Phase(copy.seconds(), (jit.compiledMs() - jit0) / 1e3, PhaseHealth.of(watch, copy.retries(), copy.errors()), "");
        }
    }

    /** The Kafka Streams copy ({@link StreamsCopy}) of the backlog, with the measured ranker's settings and a new application id. */
    private static Phase streamsCopyPhase(ClusterConfig cluster, Options o, Path stateDir, String applicationId, String topic, long records, JitClock jit)
            throws InterruptedException {
        log.info("Kafka Streams copy: a stateless exactly-once pass-through ({}) of the same {} records", applicationId, records);
        RankerConfig config = rankerConfig(cluster, o, stateDir, applicationId);
        try (LogWatch watch = LogWatch.start(applicationId);
             KafkaConsumer<byte[], byte[]> out = endConsumer(cluster, topic, applicationId + "-out", new ByteArrayDeserializer())) {
            long jit0 = jit.compiledMs();
            StreamsCopy.Timed timed = StreamsCopy.run(config, topic, out, records);
            return new Phase(timed.seconds(), (jit.compiledMs() - jit0) / 1e3, PhaseHealth.of(watch, -1, 0), timed.threadTime());
        }
    }

    /**
     * A read_committed consumer of the first estimator's advantages positioned at the current end, so that it sees only
     * what the next ranker instance emits (every repeat writes the same groups to the same topic).
     */
    private static KafkaConsumer<String, byte[]> outputConsumer(ClusterConfig cluster, RankerConfig config, String name) {
        return endConsumer(cluster, config.advantagesTopic(config.estimators().get(0)), name, new StringDeserializer());
    }

    /** A read_committed consumer of every partition of {@code topic}, positioned at its current end. */
    private static <K> KafkaConsumer<K, byte[]> endConsumer(ClusterConfig cluster, String topic, String name, Deserializer<K> keys) {
        KafkaConsumer<K, byte[]> out = new KafkaConsumer<>(KafkaClients.consumer(cluster, name, name), keys, new ByteArrayDeserializer());
        try {
            List<TopicPartition> partitions = out.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            out.assign(partitions);
            out.seekToEnd(partitions);
            partitions.forEach(out::position); // resolve the end offsets now, before the ranker writes
            return out;
        } catch (RuntimeException e) {
            out.close();
            throw e;
        }
    }

    /**
     * Runs the copy, the Kafka Streams copy and the ranker over {@code warmupGroups} groups on topics (and application ids) of their own, unmeasured,
     * round after round, until a round compiled for less than {@value #QUIET_JIT_SHARE_PERCENT} % of its time or
     * {@code warmupRounds} rounds ran. The compile queue is drained after each round (see {@link JitClock}).
     */
    private static WarmUp warmUp(EmbeddedInfra infra, Options o, Path stateDir, SchemaRegistryClient registry, BenchRecords data, JitClock jit)
            throws Exception {
        List<Double> seconds = new ArrayList<>();
        List<Double> jitSeconds = new ArrayList<>();
        for (int round = 1; round <= o.warmupRounds(); round++) {
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames("bench.warm-up-" + round + "."));
            RankerConfig config = rankerConfig(cluster, o, stateDir.resolve("round-" + round), null);
            String copyTopic = config.topicNames().prefix() + "copy";
            String streamsCopyTopic = config.topicNames().prefix() + "streams-copy";
            ensureTopics(cluster, config, List.of(copyTopic, streamsCopyTopic), o);
            log.info("warm-up round {}: {} groups through the copy, the Kafka Streams copy and the ranker on topics of their own (not measured)", round, o.warmupGroups());
            long records = produce(cluster, registry, config.topicNames(), data, "w", o.warmupGroups(), o.externalFraction());
            jit.awaitQuiet(DRAIN_MAX);
            long jit0 = jit.compiledMs();
            long start = System.nanoTime();
            CopyBaseline.run(cluster, config.inputTopics(), copyTopic, records, o.commitInterval(), "bench-warm-up-copy-" + round);
            streamsCopyPhase(cluster, o, stateDir.resolve("streams-copy-" + round), "bench-warm-up-streams-copy-" + round, streamsCopyTopic, records, jit);
            try (KafkaConsumer<String, byte[]> out = outputConsumer(cluster, config, "bench-warm-up-out-" + round);
                 RankerWorker ranker = RankerWorker.start(config)) {
                awaitGroups(out, o.warmupGroups());
            }
            seconds.add((System.nanoTime() - start) / 1e9);
            jitSeconds.add((jit.compiledMs() - jit0) / 1e3);
            Duration drained = jit.awaitQuiet(DRAIN_MAX);
            double share = 100 * jitSeconds.get(round - 1) / seconds.get(round - 1);
            log.info("warm-up round {}: {} s, JIT {} s ({} %), compile queue drained in {}", round, String.format("%.1f", seconds.get(round - 1)),
                    String.format("%.1f", jitSeconds.get(round - 1)), String.format("%.0f", share), Durations.format(drained));
            if (share < QUIET_JIT_SHARE_PERCENT) {
                break;
            }
        }
        return new WarmUp(o.warmupGroups(), seconds, jitSeconds);
    }

    private static RankerConfig rankerConfig(ClusterConfig cluster, Options o, Path stateDir, String applicationId) {
        RankerConfig.Builder b = RankerConfig.builder(cluster).stateDir(stateDir).commitInterval(o.commitInterval())
                .streamThreads(o.streamThreads()).replicationFactor(1).topicPartitions(o.partitions()).logInterval(Duration.ofSeconds(10));
        if (applicationId != null) {
            b.applicationId(applicationId);
        }
        o.streamsProperties().forEach(b::streamsProperty);
        return b.build();
    }

    private static void ensureTopics(ClusterConfig cluster, RankerConfig config, List<String> copyTopics, Options o) {
        List<String> topics = new ArrayList<>(config.inputTopics());
        topics.addAll(config.outputTopics());
        topics.addAll(copyTopics);
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

    /** Produces {@code groups} groups with ids {@code <prefix>-<n>}, encoded as they are sent; a fraction gets external rewards. Returns records written. */
    private static long produce(ClusterConfig cluster, SchemaRegistryClient registry, TopicNames names, BenchRecords data, String prefix,
                                int groups, double externalFraction) {
        GroupEncoder encoder = new GroupEncoder(registry, names, data, externalFraction);
        return send(cluster, groups, n -> encoder.encode(prefix, n), 0);
    }

    /**
     * Sends group after group, at {@code groupsPerSecond} (0: as fast as possible, batched); returns records written.
     * The pacing starts with the first group; a record's timestamp is its send time, which the ranker takes as the
     * group's last-record time.
     */
    private static long send(ClusterConfig cluster, int groups, IntFunction<List<ProducerRecord<String, byte[]>>> group, double groupsPerSecond) {
        Map<String, Object> props = KafkaClients.producer(cluster, "bench-producer");
        props.put(ProducerConfig.LINGER_MS_CONFIG, groupsPerSecond > 0 ? 0 : 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        AtomicLong failed = new AtomicLong();
        long records = 0;
        long start = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int n = 0; n < groups; n++) {
                if (groupsPerSecond > 0) {
                    pace(start, n, groupsPerSecond);
                }
                for (ProducerRecord<String, byte[]> r : group.apply(n)) {
                    producer.send(r, (m, e) -> {
                        if (e != null) {
                            failed.incrementAndGet();
                        }
                    });
                    records++;
                }
            }
            producer.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " benchmark records could not be produced");
        }
        return records;
    }

    /** Encodes group {@code n} ({@code <prefix>-<n>}): its completions, and its rewards when it is one of the external-reward groups. */
    private static final class GroupEncoder {
        private final AvroSerializer<Completion> completions;
        private final AvroSerializer<Reward> rewards;
        private final TopicNames names;
        private final BenchRecords data;
        private final double externalFraction;

        GroupEncoder(SchemaRegistryClient registry, TopicNames names, BenchRecords data, double externalFraction) {
            this.completions = new AvroSerializer<>(registry);
            this.rewards = new AvroSerializer<>(registry);
            this.names = names;
            this.data = data;
            this.externalFraction = externalFraction;
        }

        List<ProducerRecord<String, byte[]>> encode(String prefix, int n) {
            String groupId = prefix + "-" + n;
            // spread external-reward groups evenly: group n is external when floor((n+1) f) > floor(n f)
            boolean external = Math.floor((n + 1) * externalFraction) > Math.floor(n * externalFraction);
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>(2 * data.groupSize());
            for (int i = 0; i < data.groupSize(); i++) {
                Completion c = data.completion(groupId, i, external ? null : data.nextReward());
                records.add(new ProducerRecord<>(names.completions(), groupId, completions.serialize(names.completions(), c)));
                if (external) {
                    records.add(new ProducerRecord<>(names.rewards(), groupId, rewards.serialize(names.rewards(), data.reward(groupId, i))));
                }
            }
            return records;
        }
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

    /**
     * The paced latency phase. What the harness itself costs is kept out of the window the ranker is measured in, since
     * it shares the two cores: the groups are encoded before the pacing starts (the producer thread only sends bytes),
     * and the emitted groups are kept as bytes with their arrival time and decoded after the last one arrived. (Encoding
     * and decoding during the phase took ~40 % of the JVM's CPU samples in it, JFR.)
     */
    /**
     * Sends {@code count} groups with ids {@code <prefix>-<n>} at {@code rate} groups/s and records each emitted group's
     * latencies into {@code emission} and {@code visible}; with null histograms (the warm-up) nothing is recorded.
     */
    private static void measureLatency(ClusterConfig cluster, SchemaRegistryClient registry, TopicNames names, BenchRecords data, Options o, double rate,
                                       KafkaConsumer<String, byte[]> out, String prefix, int count, Histogram emission, Histogram visible)
            throws InterruptedException {
        GroupEncoder encoder = new GroupEncoder(registry, names, data, o.externalFraction());
        List<List<ProducerRecord<String, byte[]>>> groups = new ArrayList<>(count);
        for (int n = 0; n < count; n++) {
            groups.add(encoder.encode(prefix, n));
        }
        Thread producer = new Thread(() -> send(cluster, count, groups::get, rate), "bench-latency-producer");
        producer.start();
        List<byte[]> received = new ArrayList<>(count);
        String topic = null;
        long[] receivedAt = new long[count];
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (received.size() < count && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : out.poll(Duration.ofMillis(20))) {
                if (received.size() < receivedAt.length) {
                    receivedAt[received.size()] = System.currentTimeMillis();
                    received.add(r.value());
                    topic = r.topic();
                }
            }
        }
        producer.join();
        if (received.size() < count) {
            throw new IllegalStateException("latency phase (" + prefix + ") saw only " + received.size() + " of " + count + " groups");
        }
        if (emission == null) {
            return;
        }
        AvroDeserializer<AdvantageGroup> decoder = new AvroDeserializer<>(registry, AdvantageGroup.class);
        for (int k = 0; k < received.size(); k++) {
            AdvantageGroup g = decoder.deserialize(topic, received.get(k));
            emission.recordValue(Math.max(0, g.getEmittedAtMs() - g.getLastCompletionAtMs()));
            visible.recordValue(Math.max(0, receivedAt[k] - g.getLastCompletionAtMs()));
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
