package dev.gopo.launcher.soak;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One soak, validated at start-up: where it writes, the models it prepares, the prompts it feeds, the faults it makes
 * and how long it may take. Each bad value fails with the option's name and what would be valid.
 *
 * @param prompts        prompts fed in total, in {@code feedBatches} batches {@code feedEvery} apart
 * @param kills          worker kills ({@code kill -9}), each followed by a restart with the same arguments
 * @param minPause       shortest pause before a fault
 * @param maxPause       longest pause before a fault
 * @param outage         how long the broker or the registry stays down in an infrastructure fault
 * @param drainTimeout   how long, after the last fault and the last prompt, the pipeline may take to settle
 * @param timeout        the whole soak's limit (prepare excluded); past it the soak stops the workers and accounts
 * @param workerHeap     {@code -Xmx} of each worker JVM
 */
public record SoakSettings(Path workDir, Path cacheDir, int sftSteps, int rmSteps, long seed, int prompts, int feedBatches,
                           Duration feedEvery, int kills, Duration minPause, Duration maxPause, int brokerRestarts, int registryOutages,
                           Duration outage, int groupSize, int groupsPerStep, int checkpointEvery, Duration drainTimeout, Duration timeout,
                           String workerHeap) {
    public SoakSettings {
        Objects.requireNonNull(workDir, "--work-dir");
        Objects.requireNonNull(cacheDir, "--cache-dir");
        atLeast("--sft-steps", sftSteps, 1);
        atLeast("--rm-steps", rmSteps, 1);
        atLeast("--prompts", prompts, 1);
        atLeast("--feed-batches", feedBatches, 1);
        if (feedBatches > prompts) {
            throw new IllegalArgumentException("--feed-batches " + feedBatches + " is more than --prompts " + prompts + ": every batch needs a prompt");
        }
        atLeast("--kills", kills, 0);
        atLeast("--broker-restarts", brokerRestarts, 0);
        atLeast("--registry-outages", registryOutages, 0);
        atLeast("--group-size", groupSize, 2);
        atLeast("--groups-per-step", groupsPerStep, 1);
        atLeast("--checkpoint-every", checkpointEvery, 1);
        nonNegative("--feed-every", feedEvery);
        nonNegative("--min-pause", minPause);
        nonNegative("--max-pause", maxPause);
        if (maxPause.compareTo(minPause) < 0) {
            throw new IllegalArgumentException("--max-pause " + maxPause.toMillis() + " ms is shorter than --min-pause " + minPause.toMillis() + " ms");
        }
        positive("--outage", outage);
        positive("--drain-timeout", drainTimeout);
        positive("--timeout", timeout);
        if (workerHeap == null || !workerHeap.matches("\\d+[kKmMgG]")) {
            throw new IllegalArgumentException("--worker-heap '" + workerHeap + "' is not a JVM heap size such as 384m or 1g");
        }
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(option + " must be >= " + min + ", got " + value);
        }
    }

    private static void nonNegative(String option, Duration value) {
        if (value == null || value.isNegative()) {
            throw new IllegalArgumentException(option + " must be zero or positive, e.g. 10s");
        }
    }

    private static void positive(String option, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(option + " must be positive, e.g. 30s or 5m");
        }
    }

    /** Prompts in batch {@code b} (0-based): the total split as evenly as possible, the first batches one larger. */
    public int batchSize(int b) {
        return prompts / feedBatches + (b < prompts % feedBatches ? 1 : 0);
    }
}
