package dev.gopo.platform;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker built around a Kafka poll loop (learner, generator, evaluator, reward producer): it
 * owns its clients and models from construction to {@link #close()}, and {@link #run} polls until
 * {@code stop} is set or its own limits (max records, idle timeout) are reached.
 */
public interface PollingWorker extends AutoCloseable {

    /** Polls and handles records until {@code stop} is set or the worker's own limits end the run. */
    void run(AtomicBoolean stop) throws Exception;

    /** Closes clients and native resources; never throws. */
    @Override
    void close();
}
