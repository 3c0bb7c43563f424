package dev.gopo.launcher.bench;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.TrainingMetrics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The pure arithmetic of {@code gopo bench-async}: idle shares, staleness histogram, time to a target
 * validation reward, the async/lockstep ratio and the two-machine model. Everything here reads records
 * already taken from the topics, so it is tested without a broker.
 */
final class AsyncFigures {
    /** Prefix of the learner's per-step staleness histogram: {@code lag/hist/<k>} = groups of the step with staleness k. */
    static final String HIST_PREFIX = "lag/hist/";

    private AsyncFigures() {
    }

    /**
     * Learner idle share {@code 1 - sum(step compute time) / wall}: the part of the wall time the learner was not computing
     * an update (waiting for groups, reading, announcing, checkpointing). Clamped to [0, 1]; 0 without wall time.
     */
    static double learnerIdleShare(double sumStepMillis, double wallMillis) {
        return wallMillis <= 0 ? 0 : clamp(1 - sumStepMillis / wallMillis);
    }

    /** Generator idle share {@code sum(pausedNanos) / (generators x wall)}: the part of the generators' time held by backpressure. */
    static double generatorIdleShare(long sumPausedNanos, int generators, long wallNanos) {
        return wallNanos <= 0 || generators < 1 ? 0 : clamp((double) sumPausedNanos / ((double) generators * wallNanos));
    }

    /** {@code async / lockstep}; NaN when either is missing or the lockstep value is 0. */
    static double ratio(double async, double lockstep) {
        return Double.isFinite(async) && Double.isFinite(lockstep) && lockstep != 0 ? async / lockstep : Double.NaN;
    }

    /** Sum of {@code time/step_ms} over the steps (compute time of the updates). */
    static double sumStepMillis(Collection<TrainingMetrics> steps) {
        return steps.stream().mapToDouble(m -> m.getMetrics().getOrDefault("time/step_ms", 0.0)).sum();
    }

    /** Sum of {@code train/tokens} over the steps. */
    static double sumTokens(Collection<TrainingMetrics> steps) {
        return steps.stream().mapToDouble(m -> m.getMetrics().getOrDefault("train/tokens", 0.0)).sum();
    }

    /** The run's staleness histogram: the per-step {@code lag/hist/<k>} counts summed over steps, by k ascending. */
    static SortedMap<Long, Long> mergeHistograms(Collection<Map<String, Double>> stepMetrics) {
        SortedMap<Long, Long> hist = new TreeMap<>();
        for (Map<String, Double> m : stepMetrics) {
            m.forEach((key, value) -> {
                if (key.startsWith(HIST_PREFIX) && value != null) {
                    hist.merge(Long.parseLong(key.substring(HIST_PREFIX.length())), Math.round(value), Long::sum);
                }
            });
        }
        return hist;
    }

    /** Mean staleness of a histogram (groups weighted equally); 0 when empty. */
    static double meanStaleness(SortedMap<Long, Long> hist) {
        long groups = hist.values().stream().mapToLong(Long::longValue).sum();
        return groups == 0 ? 0 : hist.entrySet().stream().mapToDouble(e -> (double) e.getKey() * e.getValue()).sum() / groups;
    }

    /** The histogram as {@code k:count} pairs, e.g. {@code 0:1600 1:0}; only non-zero buckets. */
    static String histogramText(SortedMap<Long, Long> hist) {
        StringBuilder s = new StringBuilder();
        hist.forEach((k, n) -> s.append(s.isEmpty() ? "" : " ").append(k).append(':').append(n));
        return s.isEmpty() ? "-" : s.toString();
    }

    /**
     * The validation reward curve, averaged over tasks: for each evaluated learner step at which every task was evaluated,
     * the mean of the tasks' validation rewards (each task's reward model has its own scale; the mean is only compared
     * with itself across runs of the same tasks).
     */
    static SortedMap<Long, Double> meanRewardCurve(Collection<EvaluationResult> results) {
        long tasks = results.stream().map(EvaluationResult::getTask).distinct().count();
        SortedMap<Long, double[]> sums = new TreeMap<>();
        for (EvaluationResult r : results) {
            double[] s = sums.computeIfAbsent(r.getStep(), k -> new double[2]);
            s[0] += r.getValidationReward();
            s[1]++;
        }
        SortedMap<Long, Double> curve = new TreeMap<>();
        sums.forEach((step, s) -> {
            if (s[1] == tasks) {
                curve.put(step, s[0] / s[1]);
            }
        });
        return curve;
    }

    /** The first evaluated step whose mean validation reward reaches {@code target}; empty when none does. */
    static OptionalLong firstStepReaching(SortedMap<Long, Double> curve, double target) {
        return curve.entrySet().stream().filter(e -> e.getValue() >= target).mapToLong(Map.Entry::getKey).findFirst();
    }

    /** Seconds from {@code startedAtMs} until the learner reported {@code step}; empty when it never did. */
    static OptionalDouble secondsToStep(List<TrainingMetrics> steps, long step, long startedAtMs) {
        if (step == 0) {
            return OptionalDouble.of(0);
        }
        return steps.stream().filter(m -> m.getStep() == step).mapToDouble(m -> (m.getTimestampMs() - startedAtMs) / 1000.0).findFirst();
    }

    /**
     * The two-machine model: generation and training on separate machines, measured per-step costs {@code tGen} (sampling
     * one step's groups) and {@code tTrain} (one update), plus a per-step overhead (announce, hot swap, Kafka). Lockstep
     * does them one after the other, asynchronous overlaps them:
     *
     * <pre>
     *   lockstep per step ~ tGen + tTrain + overhead
     *   async per step    ~ max(tGen, tTrain) + overhead
     *   speed-up          = lockstep / async
     * </pre>
     */
    static double modelledSpeedUp(double tGen, double tTrain, double overhead) {
        return (tGen + tTrain + overhead) / (Math.max(tGen, tTrain) + overhead);
    }

    private static double clamp(double x) {
        return Math.max(0, Math.min(1, x));
    }
}
