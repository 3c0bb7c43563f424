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

    private final Map<Input, Sensor> recordsIn = new EnumMap<>(Input.class);
    private final Sensor emitted;
    private final Sensor partial;
    private final Sensor expired;
    private final Sensor duplicates;
    private final Sensor late;
    private final Sensor latency;
    private final Map<DeadLetterReason, Sensor> deadLetters = new EnumMap<>(DeadLetterReason.class);

    /** The Prometheus side of each sensor above (no-ops when the endpoint is off). */
    private final Map<Input, MetricsEndpoint.Count> scrapedRecordsIn = new EnumMap<>(Input.class);
    private final MetricsEndpoint.Count scrapedEmitted;
    private final MetricsEndpoint.Count scrapedPartial;
    private final MetricsEndpoint.Count scrapedExpired;
    private final MetricsEndpoint.Count scrapedDuplicates;
    private final MetricsEndpoint.Count scrapedLate;
    private final MetricsEndpoint.Latency scrapedLatency;
    private final Map<DeadLetterReason, MetricsEndpoint.Count> scrapedDeadLetters = new EnumMap<>(DeadLetterReason.class);

    private RankerMetrics(StreamsMetrics metrics, MetricsEndpoint endpoint) {
        for (Input input : Input.values()) {
            String doc = "Records consumed from the input topic, good or bad.";
            recordsIn.put(input, counter(metrics, RECORDS_IN, doc, Map.of("topic", input.tag)));
            scrapedRecordsIn.put(input, endpoint.counter(RECORDS_IN, doc, "topic", input.tag));
        }
        String doc = "Complete groups emitted (once per group, whatever the number of estimators).";
        emitted = counter(metrics, GROUPS_EMITTED, doc, Map.of());
        scrapedEmitted = endpoint.counter(GROUPS_EMITTED, doc);
        doc = "Groups emitted partial after the timeout.";
        partial = counter(metrics, GROUPS_PARTIAL, doc, Map.of());
        scrapedPartial = endpoint.counter(GROUPS_PARTIAL, doc);
        doc = "Groups that timed out with too few scored completions and were dead-lettered.";
        expired = counter(metrics, GROUPS_EXPIRED, doc, Map.of());
        scrapedExpired = endpoint.counter(GROUPS_EXPIRED, doc);
        doc = "Re-delivered completions or rewards for an index an open group already holds; dropped.";
        duplicates = counter(metrics, DUPLICATES, doc, Map.of());
        scrapedDuplicates = endpoint.counter(DUPLICATES, doc);
        doc = "Records for a group already emitted, holding an index that was emitted; dropped.";
        late = counter(metrics, LATE_RECORDS, doc, Map.of());
        scrapedLate = endpoint.counter(LATE_RECORDS, doc);
        doc = "Records sent to the dead-letter topic, by reason.";
        for (DeadLetterReason reason : REASONS) {
            deadLetters.put(reason, counter(metrics, DEAD_LETTERS, doc, Map.of("reason", reason.name())));
            scrapedDeadLetters.put(reason, endpoint.counter(DEAD_LETTERS, doc, "reason", reason.name()));
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

    private static Sensor counter(StreamsMetrics metrics, String name, String description, Map<String, String> tags) {
        Sensor sensor = metrics.addSensor(GROUP + "." + name + tags.values(), Sensor.RecordingLevel.INFO);
        sensor.add(new MetricName(name, GROUP, description, tags), new CumulativeCount());
        return sensor;
    }

    void recordIn(Input input) {
        recordsIn.get(input).record();
        scrapedRecordsIn.get(input).increment();
    }

    void groupEmitted(boolean isPartial, long latencyMs) {
        (isPartial ? partial : emitted).record();
        (isPartial ? scrapedPartial : scrapedEmitted).increment();
        long ms = Math.max(0, latencyMs);
        latency.record(ms);
        scrapedLatency.record(ms, TimeUnit.MILLISECONDS);
    }

    void groupExpired() {
        expired.record();
        scrapedExpired.increment();
    }

    void duplicate() {
        duplicates.record();
        scrapedDuplicates.increment();
    }

    void late() {
        late.record();
        scrapedLate.increment();
    }

    void deadLetter(DeadLetterReason reason) {
        Sensor sensor = deadLetters.get(reason);
        if (sensor == null) {
            throw new IllegalArgumentException("the ranker does not dead-letter with reason " + reason);
        }
        sensor.record();
        scrapedDeadLetters.get(reason).increment();
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
