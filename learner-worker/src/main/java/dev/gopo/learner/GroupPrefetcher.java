package dev.gopo.learner;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and prepares (decodes, checks) consumed records on a thread of its own, so that the training thread finds the
 * next step's groups ready when a step ends instead of polling and decoding between steps.
 *
 * <p><b>Hand-off.</b> A bounded FIFO of {@code capacity} prepared records; the learner uses its groups per step, so
 * at most one step of groups waits while a step trains. The fetch thread blocks while the queue is full. The
 * training thread takes records in exactly the order they were polled (one producer, one consumer, one FIFO), and
 * does everything that depends on its own state there: admission at its optimiser step and version, step assembly,
 * and the positions a checkpoint records. So the fetcher's consumer position may run up to one step ahead, but a
 * checkpoint's offsets advance only over records the training thread has taken and handled: records still in the
 * queue at a crash or a stop were not trained and are read again after a restart.
 *
 * <p><b>Threads.</b> While it runs, the fetch thread is the only user of the {@link Source} (a {@code KafkaConsumer}
 * is not thread-safe); the source is free again once {@link #close} has returned. A failure of the source or of the
 * preparer (e.g. a schema registry that stays unreachable) is handed off in order, after the records before it, and
 * {@link #next} throws it on the training thread.
 *
 * @param <T> what a record is prepared into
 */
final class GroupPrefetcher<T> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(GroupPrefetcher.class);
    /** How long one poll of the source may block; also how soon the fetch thread notices {@link #close}. */
    static final Duration POLL = Duration.ofMillis(100);

    /** The consumer, seen from the fetch thread. */
    interface Source {
        /** Polls for records; called on the fetch thread only. */
        Iterable<ConsumerRecord<String, byte[]>> poll(Duration timeout);

        /** Makes a blocked {@link #poll} return (with {@link WakeupException}); the one call allowed from any thread. */
        void wakeup();
    }

    /** What the fetch thread makes of each record before handing it off; called on the fetch thread only. */
    @FunctionalInterface
    interface Preparer<T> {
        T prepare(ConsumerRecord<String, byte[]> record);
    }

    /** A failure of the fetch thread, handed off in order. */
    private record Failure(RuntimeException error) {}

    private final Source source;
    private final Preparer<T> preparer;
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private volatile boolean closing;
    private boolean failed;

    GroupPrefetcher(Source source, Preparer<T> preparer, int capacity, String name) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.source = source;
        this.preparer = preparer;
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.thread = new Thread(this::fetch, name);
        this.thread.setDaemon(true);
    }

    /** Starts the fetch thread; from now on only it uses the source. */
    GroupPrefetcher<T> start() {
        thread.start();
        return this;
    }

    /** True once {@link #close} was called: a preparer that waits (for the registry) should give up. */
    boolean isClosing() {
        return closing;
    }

    /**
     * The next prepared record in poll order, or empty when none arrived within {@code wait}.
     *
     * @throws RuntimeException the fetch thread's failure, once every record polled before it was taken
     */
    Optional<T> next(Duration wait) throws InterruptedException {
        if (failed) {
            throw new IllegalStateException("the prefetch thread has failed before; the learner cannot read on");
        }
        Object item = queue.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
        if (item instanceof Failure f) {
            failed = true;
            throw f.error();
        }
        @SuppressWarnings("unchecked")
        T prepared = (T) item;
        return Optional.ofNullable(prepared);
    }

    private void fetch() {
        try {
            while (!closing) {
                for (ConsumerRecord<String, byte[]> record : source.poll(POLL)) {
                    if (closing || !handOff(preparer.prepare(record))) {
                        return;
                    }
                }
            }
        } catch (RuntimeException e) { // a WakeupException too: expected only while closing
            if (!closing) {
                handOff(new Failure(e));
            } else {
                log.debug("prefetch thread stopped while closing: {}", e.toString());
            }
        }
    }

    /** Puts an item in the queue, waiting while it is full; false when closed meanwhile. */
    private boolean handOff(Object item) {
        try {
            while (!queue.offer(item, POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (closing) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the fetch thread and waits for it; prepared records not taken are dropped (they were not trained). */
    @Override
    public void close() {
        closing = true;
        if (!thread.isAlive()) {
            return;
        }
        try {
            // It notices within one poll; wake a poll up only if it does not (a woken consumer would also
            // refuse the learner's next commit).
            thread.join(POLL.multipliedBy(10).toMillis());
            if (thread.isAlive()) {
                source.wakeup();
                thread.join(Duration.ofSeconds(60).toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            log.warn("prefetch thread {} did not stop within 60 s", thread.getName());
        }
    }
}
