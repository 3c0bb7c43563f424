package dev.gopo.ranker.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.LoggerFactory;

/**
 * Counts what the in-process broker and the Kafka clients log while a benchmark phase runs: every
 * ERROR event (the broker logs a rejected append, e.g. an {@code OutOfOrderSequenceException}, at
 * ERROR in {@code kafka.server.ReplicaManager}) and every WARN of a Kafka client or broker logger
 * (a producer retrying a batch logs {@code Got error produce response …} at WARN).
 *
 * <p>Only works when logback is the slf4j binding (it is in the launcher and in tests); otherwise
 * {@link #available()} is false and the benchmark says the log was not watched.
 */
final class LogWatch implements AutoCloseable {
    private static final int SAMPLES = 5;

    private final Logger root;
    private final Counter counter;

    private LogWatch(Logger root, Counter counter) {
        this.root = root;
        this.counter = counter;
    }

    /** Starts watching; {@code name} names the appender (one watch per phase). */
    static LogWatch start(String name) {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return new LogWatch(null, null);
        }
        Counter counter = new Counter();
        counter.setContext(context);
        counter.setName("bench-log-watch-" + name);
        counter.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(counter);
        return new LogWatch(root, counter);
    }

    boolean available() {
        return counter != null;
    }

    long errors() {
        return counter == null ? 0 : counter.errors.get();
    }

    long warnings() {
        return counter == null ? 0 : counter.warnings.get();
    }

    /** The first few ERROR and WARN lines, "LEVEL logger - message [exception]". */
    List<String> samples() {
        if (counter == null) {
            return List.of();
        }
        synchronized (counter.samples) {
            return List.copyOf(counter.samples);
        }
    }

    @Override
    public void close() {
        if (counter != null) {
            root.detachAppender(counter);
            counter.stop();
        }
    }

    private static final class Counter extends AppenderBase<ILoggingEvent> {
        final AtomicLong errors = new AtomicLong();
        final AtomicLong warnings = new AtomicLong();
        final List<String> samples = new ArrayList<>();

        @Override
        protected void append(ILoggingEvent e) {
            boolean kafka = e.getLoggerName().startsWith("kafka.") || e.getLoggerName().startsWith("org.apache.kafka.");
            if (e.getLevel().isGreaterOrEqual(Level.ERROR)) {
                errors.incrementAndGet();
            } else if (e.getLevel() == Level.WARN && kafka) {
                warnings.incrementAndGet();
            } else {
                return;
            }
            synchronized (samples) {
                if (samples.size() < SAMPLES) {
                    String cause = e.getThrowableProxy() == null ? "" : " [" + e.getThrowableProxy().getClassName() + ": " + e.getThrowableProxy().getMessage() + "]";
                    samples.add(e.getLevel() + " " + e.getLoggerName() + " - " + e.getFormattedMessage() + cause);
                }
            }
        }
    }
}
