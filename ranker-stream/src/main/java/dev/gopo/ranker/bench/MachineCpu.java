package dev.gopo.ranker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How busy the whole machine's CPUs were between two readings of {@code /proc/stat} (Linux): every process counts, the
 * broker and the benchmark's own load generator as much as the ranker. A phase that ran with the cores at ~100 % measured
 * the machine's saturation, not the ranker's.
 *
 * <pre>
 *   busy = 1 - (Δidle + Δiowait) / Δ(user + nice + system + idle + iowait + irq + softirq + steal)
 * </pre>
 */
final class MachineCpu {
    private static final Path STAT = Path.of("/proc/stat");

    /** The cumulative jiffies of the aggregate {@code cpu} line: total and idle (idle + iowait); null when not on Linux. */
    record Reading(long total, long idle) {
    }

    private MachineCpu() {
    }

    static Reading read() {
        try {
            List<String> lines = Files.readAllLines(STAT);
            return lines.isEmpty() ? null : parse(lines.get(0));
        } catch (IOException | RuntimeException e) {
            return null; // not Linux, or /proc not mounted: the share is reported as unknown
        }
    }

    /** Parses the aggregate line {@code cpu  user nice system idle iowait irq softirq steal ...}. */
    static Reading parse(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat: " + line);
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new Reading(total, Long.parseLong(f[4]) + Long.parseLong(f[5]));
    }

    /** The busy share between two readings, in [0, 1]; NaN when either is missing or no time passed. */
    static double busyShare(Reading before, Reading after) {
        if (before == null || after == null || after.total() <= before.total()) {
            return Double.NaN;
        }
        double idle = (double) (after.idle() - before.idle()) / (after.total() - before.total());
        return Math.min(1, Math.max(0, 1 - idle));
    }
}
