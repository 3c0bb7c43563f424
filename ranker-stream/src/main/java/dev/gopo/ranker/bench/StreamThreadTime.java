package dev.gopo.ranker.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;

/**
 * Where a stream thread's wall time went during a phase, from cumulative figures read before and after it:
 *
 * <ul>
 *   <li>CPU: {@link ThreadMXBean#getThreadCpuTime} of the application's stream threads (this includes the consumer's
 *       network I/O, which the classic consumer does on the stream thread);</li>
 *   <li>waiting for records: the main consumer's {@code io-wait-time-ns-total}, the time its poll waited on the
 *       network (a fetch not yet answered);</li>
 *   <li>the producer's {@code flush-time-ns-total} (every commit flushes the transaction's records) and
 *       {@code txn-commit-time-ns-total}.</li>
 * </ul>
 *
 * What is left, {@code wall - cpu - waits}, is time the thread was runnable but had no core (on a machine the broker
 * and the benchmark share), plus pauses that are none of these (GC, locks).
 */
record StreamThreadTime(long cpuNanos, double pollWaitNanos, double flushNanos, double commitNanos, double commits) {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The cumulative figures now, for the stream threads whose names start with {@code applicationId}. */
    static StreamThreadTime now(String applicationId, Map<MetricName, ? extends Metric> metrics) {
        return new StreamThreadTime(cpuNanos(applicationId), sum(metrics, "consumer-metrics", "io-wait-time-ns-total", StreamThreadTime::mainConsumer),
                sum(metrics, "producer-metrics", "flush-time-ns-total", name -> true),
                sum(metrics, "producer-metrics", "txn-commit-time-ns-total", name -> true),
                sum(metrics, "stream-thread-metrics", "commit-total", name -> true));
    }

    /** One line: the phase's wall time split into CPU, the waits, and the rest. */
    String describeSince(StreamThreadTime before, double wallSeconds) {
        double cpu = (cpuNanos - before.cpuNanos) / 1e9;
        double poll = (pollWaitNanos - before.pollWaitNanos) / 1e9;
        double flush = (flushNanos - before.flushNanos) / 1e9;
        double commit = (commitNanos - before.commitNanos) / 1e9;
        return String.format("stream thread %.1f s CPU (%.0f %% of the phase), waiting %.1f s for fetches, %.1f s in producer flushes and %.1f s in "
                        + "transaction commits (%.0f commits), %.1f s other (no free core, GC, locks)",
                cpu, 100 * cpu / wallSeconds, poll, flush, commit, commits - before.commits, Math.max(0, wallSeconds - cpu - poll - flush - commit));
    }

    private static boolean mainConsumer(MetricName name) {
        String client = name.tags().getOrDefault("client-id", "");
        return client.endsWith("-consumer") && !client.endsWith("-restore-consumer");
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

    private static double sum(Map<MetricName, ? extends Metric> metrics, String group, String name, Predicate<MetricName> which) {
        double total = 0;
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName m = e.getKey();
            if (m.group().equals(group) && m.name().equals(name) && which.test(m) && e.getValue().metricValue() instanceof Number n) {
                total += n.doubleValue();
            }
        }
        return total;
    }
}
