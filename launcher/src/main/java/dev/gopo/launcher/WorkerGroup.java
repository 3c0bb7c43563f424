package dev.gopo.launcher;

import dev.gopo.platform.Shutdown.StoppableLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workers of one {@code gopo run} (or {@code gopo replay}), each a named thread sharing one stop flag. The first worker to throw sets the
 * flag, so the others return, and {@link #awaitFirstFailure} rethrows its error with its name: a dead generator or
 * ranker ends the run instead of leaving the learner waiting for groups that never come. {@link #close} stops every
 * worker and waits for them to return (each closes its own clients, so what it wrote is flushed).
 */
public final class WorkerGroup implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerGroup.class);
    private static final Duration POLL = Duration.ofMillis(100);

    /** A worker's error, with the worker's name in the message. */
    public static final class WorkerFailedException extends RuntimeException {
        private final String worker;

        WorkerFailedException(String worker, Throwable cause) {
            super("worker " + worker + " failed: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage()), cause);
            this.worker = worker;
        }

        public String worker() {
            return worker;
        }
    }

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicReference<WorkerFailedException> firstFailure = new AtomicReference<>();
    private final CountDownLatch failed = new CountDownLatch(1);
    private final ExecutorService pool;
    private final List<Future<?>> futures = new ArrayList<>();
    private final Duration stopTimeout;

    /** @param stopTimeout how long {@link #close} waits for workers to return before interrupting them */
    public WorkerGroup(String name, Duration stopTimeout) {
        this.stopTimeout = stopTimeout;
        this.pool = Executors.newCachedThreadPool(runnable -> {
            Thread t = new Thread(runnable);
            t.setName(name + "-worker");
            return t;
        });
    }

    /** Starts {@code worker} on its own thread; it must return soon after the stop flag it is given is set. */
    public Future<?> submit(String name, StoppableLoop worker) {
        Future<?> future = pool.submit(() -> {
            Thread.currentThread().setName(name);
            try {
                worker.run(stop);
            } catch (Throwable e) {
                // Recorded, not swallowed: awaitFirstFailure rethrows it on the run's thread.
                if (firstFailure.compareAndSet(null, new WorkerFailedException(name, e))) {
                    log.error("worker {} failed; stopping the other workers", name, e);
                    stop.set(true);
                    failed.countDown();
                } else {
                    log.warn("worker {} failed too, after the first failure", name, e);
                }
            }
            return null;
        });
        futures.add(future);
        return future;
    }

    /**
     * Waits until {@code finished} holds, a worker fails, {@link #stop} is called or {@code timeout} passes.
     *
     * @return true once {@code finished} holds, false on a stop or the timeout
     * @throws WorkerFailedException the first worker's error, once any worker has thrown
     */
    public boolean awaitFirstFailure(BooleanSupplier finished, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            throwIfFailed();
            if (finished.getAsBoolean()) {
                return true;
            }
            if (stop.get() || System.nanoTime() >= deadline) {
                return false;
            }
            failed.await(POLL.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Rethrows the first worker's error, if one has failed. */
    public void throwIfFailed() {
        WorkerFailedException failure = firstFailure.get();
        if (failure != null) {
            stop.set(true); // the failing thread may not have set it yet
            throw failure;
        }
    }

    /** Asks every worker to return. */
    public void stop() {
        stop.set(true);
    }

    public boolean stopRequested() {
        return stop.get();
    }

    /** Stops every worker and waits for them to return; interrupts those still running after the stop timeout. */
    @Override
    public void close() throws InterruptedException {
        stop.set(true);
        pool.shutdown();
        if (!pool.awaitTermination(stopTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            log.warn("workers did not stop within {} s of being asked; interrupting them", stopTimeout.toSeconds());
            pool.shutdownNow();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                log.warn("workers still running after an interrupt; leaving them to the JVM's exit");
            }
        }
    }
}
