package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.training.StepResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The namespaced metrics of one learner step (see the table in the module README).
 */
final class StepMetrics {
    private StepMetrics() {
    }

    /**
     * @param stepLags    per group, optimiser steps between its oldest sampling weights and the step's weights
     * @param versionLags per group, the same in announced policy versions (kept for readers of the older metric)
     * @param groups      the step's groups, for their count and rewards
     */
    static Map<String, Double> of(StepResult r, List<Long> stepLags, List<Long> versionLags, long staleDropped, long futureRejected,
                                  long temperatureRejected, long recomputedSteps, long skippedSteps, long deadLetters, double wallSeconds,
                                  List<AdvantageGroup> groups) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("loss/total", r.loss());
        m.put("loss/policy", r.policyLoss());
        m.put("loss/kl", r.kl());
        m.put("ratio/mean", r.ratioMean());
        m.put("ratio/clip_fraction", r.clipFraction());
        m.put("grad/norm", r.gradNorm());
        m.put("train/lr", r.lr());
        m.put("train/tokens", (double) r.tokens());
        m.put("train/groups", (double) groups.size());
        m.put("reward/mean", rewardMean(groups));
        m.put("reward/group_std_mean", groupStdMean(groups));
        m.put("time/step_ms", (double) r.stepMillis());
        m.put("throughput/tokens_per_s", wallSeconds > 0 ? r.tokens() / wallSeconds : 0.0);
        m.put("lag/optimizer_steps", stepLags.stream().mapToLong(Long::longValue).average().orElse(0));
        m.put("lag/optimizer_steps_max", (double) stepLags.stream().mapToLong(Long::longValue).max().orElse(0));
        stalenessHistogram(stepLags).forEach((k, n) -> m.put("lag/hist/" + k, (double) n));
        m.put("lag/policy_versions", versionLags.stream().mapToLong(Long::longValue).average().orElse(0));
        m.put("lag/policy_versions_max", (double) versionLags.stream().mapToLong(Long::longValue).max().orElse(0));
        m.put("stale/dropped_groups", (double) staleDropped);
        m.put("rejected/future_policy", (double) futureRejected);
        m.put("rejected/temperature_mismatch", (double) temperatureRejected);
        m.put("steps/recomputed", (double) recomputedSteps);
        m.put("steps/skipped_non_finite", (double) skippedSteps);
        m.put("dead_letters/total", (double) deadLetters);
        return m;
    }

    /**
     * Where the training thread's time of a step went: {@code time/wait_ms}, the time it waited for the step's groups
     * (taking prefetched records from the hand-off queue, summed since the previous step; near 0 when the prefetch
     * thread keeps up), and {@code time/compute_ms}, the time of the update itself (batch tensors, reference and policy
     * forward, backward, gradient clipping, AdamW; a recomputed step counts both attempts).
     */
    static Map<String, Double> times(double waitMs, double computeMs) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("time/wait_ms", waitMs);
        m.put("time/compute_ms", computeMs);
        return m;
    }

    /**
     * What the learner's Prometheus gauges read ({@code --metrics-port}): the step's metrics plus {@code train/step} and
     * {@code policy/version}, so a dashboard can tell a stalled learner (flat step) from a quiet one.
     */
    static Map<String, Double> forScrapers(Map<String, Double> stepMetrics, long step, long policyVersion) {
        Map<String, Double> m = new LinkedHashMap<>(stepMetrics);
        m.put("train/step", (double) step);
        m.put("policy/version", (double) policyVersion);
        return m;
    }

    /**
     * The staleness histogram of one step: for each staleness {@code k} (optimiser steps, {@code S - min policyStep} of a
     * group) the number of the step's groups that had it, ascending in {@code k}; only non-zero buckets.
     */
    static SortedMap<Long, Long> stalenessHistogram(List<Long> stepLags) {
        SortedMap<Long, Long> hist = new TreeMap<>();
        stepLags.forEach(k -> hist.merge(k, 1L, Long::sum));
        return hist;
    }

    /** Mean raw reward over every completion of the step (each completion weighs the same); 0 without completions. */
    static double rewardMean(List<AdvantageGroup> groups) {
        return groups.stream().flatMap(g -> g.getCompletions().stream()).mapToDouble(ScoredCompletion::getReward).average().orElse(0);
    }

    /**
     * Mean over the step's groups of the within-group standard deviation of the rewards,
     * {@code sqrt(sum_i (r_i - mean r)^2 / G)} (population form; 0 for a group of one). It says how much ranking signal
     * the groups carry: at 0 every completion of a group got the same reward and GOPO gives it all-zero advantages.
     */
    static double groupStdMean(List<AdvantageGroup> groups) {
        return groups.stream().mapToDouble(g -> {
            double[] r = g.getCompletions().stream().mapToDouble(ScoredCompletion::getReward).toArray();
            if (r.length == 0) {
                return 0;
            }
            double mean = 0;
            for (double x : r) {
                mean += x / r.length;
            }
            double squares = 0;
            for (double x : r) {
                squares += (x - mean) * (x - mean);
            }
            return Math.sqrt(squares / r.length);
        }).average().orElse(0);
    }
}
