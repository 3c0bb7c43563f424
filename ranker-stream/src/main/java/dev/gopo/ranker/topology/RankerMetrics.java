package dev.gopo.ranker.topology;

import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.MetricsEndpoint;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.Avg;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Max;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The ranker's own metrics, registered as Kafka Streams custom sensors (so they appear in
 * {@code KafkaStreams#metrics()}, JMX and any metrics reporter) in group {@value #GROUP}. Sensors are
 * shared by every processor and stream thread of one KafkaStreams instance: registering them again
 * returns the existing sensor. The module README explains each metric.
 *
 * <p>The same events also feed the Prometheus endpoint ({@code --metrics-port}, {@link MetricsEndpoint}): each counter
 * as {@code gopo_ranker_<name>_total} with the same tags, and the emission latency as a timer with percentiles
 * ({@code gopo_ranker_emission_latency_seconds}), which the sensor's avg/max cannot give. One measuring path, two
 * exports: a method here records into both.
 */
public final class RankerMetrics {
    public static final String GROUP = "gopo-ranker";
    public static final String RECORDS_IN = "ranker/records_in";
    public static final String GROUPS_EMITTED = "ranker/groups_emitted";
    public static final String GROUPS_PARTIAL = "ranker/groups_partial";
    public static final String GROUPS_EXPIRED = "ranker/groups_expired";
    public static final String DEAD_LETTERS = "ranker/dead_letters";
    public static final String DUPLICATES = "ranker/duplicates";
    public static final String LATE_RECORDS = "ranker/late_records";
    public static final String LATENCY_AVG = "ranker/latency_ms_avg";
    public static final String LATENCY_MAX = "ranker/latency_ms_max";
    /** The Prometheus timer of the same latency as {@link #LATENCY_AVG} / {@link #LATENCY_MAX}. */
    public static final String EMISSION_LATENCY = "ranker/emission_latency";

    /** Reasons the ranker can give; each gets its own counter from the start so a 0 is visible. */
    static final List<DeadLetterReason> REASONS = List.of(DeadLetterReason.UNDECODABLE, DeadLetterReason.NON_FINITE_REWARD,
            DeadLetterReason.INDEX_OUT_OF_RANGE, DeadLetterReason.GROUP_SIZE_MISMATCH, DeadLetterReason.INCONSISTENT_RECORD,
            DeadLetterReason.GROUP_TIMEOUT);

    /** Input topics, as tag values of {@value #RECORDS_IN}. */
    enum Input {
        COMPLETIONS("completions"), REWARDS("rewards");

        final String tag;

        Input(String tag) {
            this.tag = tag;
        }

        @Override
        public String toString() {
            return tag;
        }
    }

    /**
     * One event counted on both sides: the Kafka Streams sensor (read back by {@link Snapshot}, the progress log and the
     * benchmark) and the Prometheus counter of the same name, description and tag ({@code --metrics-port}; a no-op when off).
     */
    private record Counted(Sensor sensor, MetricsEndpoint.Count scraped) {
        void record() {
            sensor.record();
            scraped.increment();
        }
    }

    private final StreamsMetrics metrics;
    private final MetricsEndpoint endpoint;
    private final Map<Input, Counted> recordsIn = new EnumMap<>(Input.class);
    private final Counted emitted;
    private final Counted partial;
    private final Counted expired;
    private final Counted duplicates;
    private final Counted late;
    private final Map<DeadLetterReason, Counted> deadLetters = new EnumMap<>(DeadLetterReason.class);
    private final Sensor latency;
    /** The Prometheus side of {@link #latency}. */
    private final MetricsEndpoint.Latency scrapedLatency;

    private RankerMetrics(StreamsMetrics metrics, MetricsEndpoint endpoint) {
        this.metrics = metrics;
        this.endpoint = endpoint;
        for (Input input : Input.values()) {
            recordsIn.put(input, counted(RECORDS_IN, "Records consumed from the input topic, good or bad.", "topic", input.tag));
        }
        emitted = counted(GROUPS_EMITTED, "Complete groups emitted (once per group, whatever the number of estimators).");
        partial = counted(GROUPS_PARTIAL, "Groups emitted partial after the timeout.");
        expired = counted(GROUPS_EXPIRED, "Groups that timed out with too few scored completions and were dead-lettered.");
        duplicates = counted(DUPLICATES, "Re-delivered completions or rewards for an index an open group already holds; dropped.");
        late = counted(LATE_RECORDS, "Records for a group already emitted, holding an index that was emitted; dropped.");
        for (DeadLetterReason reason : REASONS) {
            deadLetters.put(reason, counted(DEAD_LETTERS, "Records sent to the dead-letter topic, by reason.", "reason", reason.name()));
        }
        latency = metrics.addSensor(GROUP + ".latency", Sensor.RecordingLevel.INFO);
        latency.add(new MetricName(LATENCY_AVG, GROUP, "Average ms from the group's last completion or reward record timestamp to its emission (last ~60 s).", Map.of()), new Avg());
        latency.add(new MetricName(LATENCY_MAX, GROUP, "Largest such latency in ms (last ~60 s).", Map.of()), new Max());
        scrapedLatency = endpoint.timer(EMISSION_LATENCY, "Time from a group's last completion or reward record to its emission (complete and partial groups).");
    }

    /** The sensors of {@code metrics}' KafkaStreams instance, created on first use; nothing for a Prometheus endpoint. */
    public static RankerMetrics register(StreamsMetrics metrics) {
        return register(metrics, MetricsEndpoint.off());
    }

    /** The sensors of {@code metrics}' KafkaStreams instance, and their Prometheus meters on {@code endpoint}, created on first use. */
    public static RankerMetrics register(StreamsMetrics metrics, MetricsEndpoint endpoint) {
        return new RankerMetrics(metrics, endpoint);
    }

    /** A cumulative count {@code name} with at most one tag ({@code tagPair} = key, value), as a sensor and a Prometheus counter. */
    private Counted counted(String name, String description, String... tagPair) {
        Map<String, String> tags = tagPair.length == 0 ? Map.of() : Map.of(tagPair[0], tagPair[1]);
        Sensor sensor = metrics.addSensor(GROUP + "." + name + tags.values(), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags), new CumulativeCount());
        return new Counted(sensor, endpoint.counter(name, description, tagPair));
    }

    void recordIn(Input input) {
        recordsIn.get(input).record();
    }

    void groupEmitted(boolean isPartial, long latencyMs) {
        (isPartial ? partial : emitted).record();
        long ms = Math.max(0, latencyMs);
        latency.record(ms);
        scrapedLatency.record(ms, TimeUnit.MILLISECONDS);
    }

    void groupExpired() {
        expired.record();
    }

    void duplicate() {
        duplicates.record();
    }

    void late() {
        late.record();
    }

    void deadLetter(DeadLetterReason reason) {
        Counted counted = deadLetters.get(reason);
        if (counted == null) {
            throw new IllegalArgumentException("the ranker does not dead-letter with reason " + reason);
        }
        counted.record();
    }

    /**
     * The ranker's metrics read back from a KafkaStreams (or TopologyTestDriver) metrics map, counters
     * summed over their tags.
     */
    public record Snapshot(long completionsIn, long rewardsIn, long emitted, long partial, long expired, long duplicates, long late,
                           Map<String, Long> deadLettersByReason, double latencyAvgMs, double latencyMaxMs) {
        public long deadLetters() {
            return deadLettersByReason.values().stream().mapToLong(Long::longValue).sum();
        }

        public static Snapshot of(Map<MetricName, ? extends Metric> metrics) {
            long completionsIn = 0;
            long rewardsIn = 0;
            long emitted = 0;
            long partial = 0;
            long expired = 0;
            long duplicates = 0;
            long late = 0;
            double latencyAvg = Double.NaN;
            double latencyMax = Double.NaN;
            Map<String, Long> dead = new TreeMap<>();
            for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
                MetricName name = e.getKey();
                if (!GROUP.equals(name.group())) {
                    continue;
                }
                Object raw = e.getValue().metricValue();
                double value = raw instanceof Number n ? n.doubleValue() : Double.NaN;
                long count = Double.isNaN(value) ? 0 : (long) value;
                switch (name.name()) {
                    case RECORDS_IN -> {
                        if (Input.COMPLETIONS.tag.equals(name.tags().get("topic"))) {
                            completionsIn += count;
                        } else {
                            rewardsIn += count;
                        }
                    }
                    case GROUPS_EMITTED -> emitted += count;
                    case GROUPS_PARTIAL -> partial += count;
                    case GROUPS_EXPIRED -> expired += count;
                    case DUPLICATES -> duplicates += count;
                    case LATE_RECORDS -> late += count;
                    case DEAD_LETTERS -> dead.merge(name.tags().get("reason"), count, Long::sum);
                    case LATENCY_AVG -> latencyAvg = value;
                    case LATENCY_MAX -> latencyMax = value;
                    default -> {
                        // another gopo-ranker metric added later: not part of the summary
                    }
                }
            }
            return new Snapshot(completionsIn, rewardsIn, emitted, partial, expired, duplicates, late, dead, latencyAvg, latencyMax);
        }

        /** The one-line progress summary. */
        public String toLogLine() {
            StringBuilder reasons = new StringBuilder();
            deadLettersByReason.forEach((reason, n) -> {
                if (n > 0) {
                    reasons.append(reasons.length() == 0 ? " (" : ", ").append(reason).append('=').append(n);
                }
            });
            if (reasons.length() > 0) {
                reasons.append(')');
            }
            return String.format("in: %d completions, %d rewards | out: %d groups, %d partial | expired %d | dead letters %d%s | duplicates %d, late %d | latency avg %s max %s",
                    completionsIn, rewardsIn, emitted, partial, expired, deadLetters(), reasons, duplicates, late, ms(latencyAvgMs), ms(latencyMaxMs));
        }

        private static String ms(double v) {
            return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format("%.0f ms", v);
        }
    }
}
