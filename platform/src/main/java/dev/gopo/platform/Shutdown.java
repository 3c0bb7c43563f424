package dev.gopo.platform;

import java.util.concurrent.CountDownLatch;
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
}
