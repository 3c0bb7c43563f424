package dev.gopo.ranker.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Time this JVM's JIT compilers spent compiling ({@link CompilationMXBean#getTotalCompilationTime()}, summed over the
 * compiler threads), to tell a measured phase that ran compiled code from one that shared the machine's two cores
 * with the C2 compiler.
 *
 * <p>Why the benchmark needs it: broker, registry, clients and ranker share one JVM, so the compile queue is long.
 * HotSpot raises the tier-4 (C2) thresholds with the queue length ({@code Tier4LoadFeedback}), so while the broker's
 * code is still queued the ranker's hot methods stay in tier-3 (profiled C1) code; in a cold run the C2 thread took
 * 40 % of the CPU during the ranker phase, and even after one 20 000-group warm-up round 8 of 25 CPU-seconds of a
 * 14 s ranker phase (per-thread {@code /proc/<pid>/task/<tid>/schedstat}). Warm-up rounds until a round compiles
 * for only a small share of its time, with the queue drained after each, take that out of the measurement.
 */
final class JitClock {
    private final CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();

    /** Whether this JVM reports compilation time (HotSpot does). */
    boolean available() {
        return compiler != null && compiler.isCompilationTimeMonitoringSupported();
    }

    /** Compilation time so far, ms; 0 when not {@link #available()}. */
    long compiledMs() {
        return available() ? compiler.getTotalCompilationTime() : 0;
    }

    /**
     * Waits until the compilers have been (almost) idle for a second: less than {@code 20 ms} compiled in each of two
     * consecutive half-second windows, or until {@code max} has passed.
     *
     * @return the time waited
     */
    Duration awaitQuiet(Duration max) throws InterruptedException {
        long start = System.nanoTime();
        if (!available()) {
            return Duration.ZERO;
        }
        int quietWindows = 0;
        long last = compiledMs();
        while (quietWindows < 2 && System.nanoTime() - start < max.toNanos()) {
            Thread.sleep(500);
            long now = compiledMs();
            quietWindows = now - last < 20 ? quietWindows + 1 : 0;
            last = now;
        }
        return Duration.ofNanos(System.nanoTime() - start);
    }
}
