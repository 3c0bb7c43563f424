package dev.gopo.ranker;

import dev.gopo.platform.Durations;
import dev.gopo.ranker.topology.RankerMetrics;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the one-line progress summary every interval, and once more on close. */
final class ProgressLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ProgressLog.class);

    private final KafkaStreams streams;
    private final Duration every;
    /** Overrides the Streams state in the line when something is wrong that Streams does not see (the broker gone). */
    private final Supplier<Optional<String>> problem;
    private final ScheduledExecutorService timer;
    private long lastEmitted;
    private long lastAtNanos = System.nanoTime();

    private ProgressLog(KafkaStreams streams, Duration every, Supplier<Optional<String>> problem) {
        this.streams = streams;
        this.every = every;
        this.problem = problem;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ranker-progress");
            t.setDaemon(true);
            return t;
        });
    }

    static ProgressLog start(KafkaStreams streams, Duration every) {
        return start(streams, every, Optional::empty);
    }

    /** With {@code problem}: when it says something (e.g. the broker watch's status), the line shows it instead of the Streams state. */
    static ProgressLog start(KafkaStreams streams, Duration every, Supplier<Optional<String>> problem) {
        ProgressLog progress = new ProgressLog(streams, every, problem);
        progress.timer.scheduleAtFixedRate(progress::logSafely, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        return progress;
    }

    private void logSafely() {
        try {
            logNow();
        } catch (RuntimeException e) {
            // A failing summary must not cancel the schedule (a thrown exception would).
            log.warn("cannot read ranker metrics: {}", e.toString());
        }
    }

    private synchronized void logNow() {
        RankerMetrics.Snapshot s = RankerMetrics.Snapshot.of(streams.metrics());
        long now = System.nanoTime();
        long groups = s.emitted() + s.partial();
        double perSecond = (groups - lastEmitted) / Math.max(1e-9, (now - lastAtNanos) / 1e9);
        lastEmitted = groups;
        lastAtNanos = now;
        // Streams stays RUNNING with the broker gone: the state alone would say all is well.
        Object state = problem.get().map(p -> (Object) p).orElse(streams.state());
        log.info("ranker {} | {} | {} groups/s over the last {}", state, s.toLogLine(), String.format("%.1f", perSecond), Durations.format(every));
    }

    @Override
    public void close() {
        timer.shutdownNow();
        logSafely();
    }
}
