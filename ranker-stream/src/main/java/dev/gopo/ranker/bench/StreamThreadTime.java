package dev.gopo.ranker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where a stream thread's wall time went during a phase: its CPU time, and the time the Kafka clients blocked it,
 * from cumulative figures read before and after the phase.
 *
 * <ul>
 *   <li>CPU: {@link ThreadMXBean#getThreadCpuTime} of the application's {@code StreamThread-1};</li>
 *   <li>blocked on Kafka: the thread metric {@code blocked-time-ns-total} (consumer poll waits, producer flush, the
 *       transaction calls);</li>
 *   <li>of which the producer's {@code txn-commit-time-ns-total} and {@code flush-time-ns-total}.</li>
 * </ul>
 *
 * What is left of the wall time, {@code wall - cpu - blocked}, is time the thread was runnable but had no core (on a
 * machine the broker and the benchmark share), plus waits that are neither (GC pauses, locks).
 */
record StreamThreadTime(long cpuNanos, double blockedNanos, double commitNanos, double flushNanos, double commits) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The cumulative figures now, for the stream thread whose name starts with {@code applicationId}. */
    static StreamThreadTime now(String applicationId, Map<MetricName, ? extends Metric> metrics) {
        return new StreamThreadTime(cpuNanos(applicationId), sum(metrics, "stream-thread-metrics", "blocked-time-ns-total"),
                sum(metrics, "producer-metrics", "txn-commit-time-ns-total"), sum(metrics, "producer-metrics", "flush-time-ns-total"),
                sum(metrics, "stream-thread-metrics", "commit-total"));
    }

    /** One line: the phase's wall time split into CPU, blocked on Kafka, and the rest. */
    String describeSince(StreamThreadTime before, double wallSeconds) {
        double cpu = (cpuNanos - before.cpuNanos) / 1e9;
        double blocked = (blockedNanos - before.blockedNanos) / 1e9;
        return String.format("stream thread %.1f s CPU (%.0f %% of the phase), %.1f s blocked on Kafka (transaction commits %.1f s, producer flush %.1f s, "
                        + "%.0f commits), %.1f s neither (waiting for a core, GC, locks)",
                cpu, 100 * cpu / wallSeconds, blocked, (commitNanos - before.commitNanos) / 1e9, (flushNanos - before.flushNanos) / 1e9,
                commits - before.commits, Math.max(0, wallSeconds - cpu - blocked));
    }

    private static long cpuNanos(String applicationId) {
        long total = 0;
        for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (info != null && info.getThreadName().startsWith(applicationId + "-") && info.getThreadName().contains("-StreamThread-")) {
                total += Math.max(0, THREADS.getThreadCpuTime(info.getThreadId()));
            }
        }
        return total;
    }

    private static double sum(Map<MetricName, ? extends Metric> metrics, String group, String name) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            if (e.getKey().group().equals(group) && e.getKey().name().equals(name) && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
