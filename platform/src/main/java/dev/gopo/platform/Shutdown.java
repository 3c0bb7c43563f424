package dev.gopo.platform;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Blocks a worker's main thread until Ctrl-C (SIGINT/SIGTERM), then lets it close its resources. */
public final class Shutdown {
    private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

    private Shutdown() {
    }

    /** A latch released by a JVM shutdown hook; the hook waits until {@code done} is released so closing finishes. */
    public static CountDownLatch onSignal(String what, CountDownLatch done) {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("{}: shutdown requested, closing cleanly", what);
            stop.countDown();
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, what + "-shutdown"));
        return stop;
    }

    /** A worker loop that polls {@code stop} and returns once it is set. */
    @FunctionalInterface
    public interface StoppableLoop {
        void run(AtomicBoolean stop) throws Exception;
    }

    /**
     * Runs {@code loop} on this thread; Ctrl-C (a JVM shutdown) sets its stop flag and waits until
     * the loop has returned and its resources are closed, so a worker never dies mid-write.
     */
    public static void runUntilStopped(String what, StoppableLoop loop) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            log.info("{}: shutdown requested, finishing the current record and closing cleanly", what);
            stop.set(true);
            try {
                done.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, what + "-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            loop.run(stop);
        } finally {
            done.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running: it was our own stop signal
        }
    }
}
