package dev.gopo.launcher;

import dev.gopo.avro.TrainingMetrics;
import java.util.List;

/**
 * Where a run's groups went, and the one definition of its <b>wasted share</b>: the share of the sampled groups the
 * learner dropped as stale. {@code gopo run}'s {@code sampling:} line ({@link RunReport}) and {@code gopo bench-async}'s
 * {@code wasted} column both come from here, so they print the same figure for the same run.
 *
 * <pre>
 *   sampled      = |{ groupId of the records on completions }|      read back after the run ({@link RunResults#groupsSampled()})
 *   trained      = sum over steps of train/groups                   the learner's metrics topic
 *   droppedStale = stale/dropped_groups of the learner's last step  the metrics topic (a cumulative counter)
 *   wasted share = droppedStale / sampled                           0 when sampled = 0
 * </pre>
 *
 * <p>Why the distinct group ids on {@code completions} and not the generators' counters ({@code Generator.groups()}): the
 * topics are the one source every command has, since each reads its run back with {@link RunResults#write}, and the
 * numerator comes from a topic too; so the share does not depend on which command prints it, and it can be recomputed
 * from the run directory alone ({@code sampling,groups_sampled} in {@code pipeline.csv}, {@code stale/dropped_groups} in
 * {@code metrics.csv}). The counters exist only for generators running in the same JVM (not in a deployed pipeline),
 * start again at 0 when a generator restarts, and count a group twice when a crash makes its generator sample it again,
 * while the topic counts it once: a group's id is derived from its prompt's coordinates ({@code CompletionGroup.groupId}).
 * The groups sampled after the learner's last step are in {@code sampled}: they were sampled, though neither trained on
 * nor dropped as stale ({@link #neither()}).
 *
 * @param sampled      distinct group ids on {@code completions}
 * @param trained      groups the learner trained on
 * @param droppedStale groups the learner dropped as stale
 */
public record SamplingTotals(long sampled, long trained, long droppedStale) {
    static final String TRAIN_GROUPS = "train/groups";
    static final String STALE_DROPPED_GROUPS = "stale/dropped_groups";

    public SamplingTotals {
        if (sampled < 0 || trained < 0 || droppedStale < 0) {
            throw new IllegalArgumentException("group counts must be >= 0, got sampled " + sampled + ", trained " + trained
                    + ", dropped as stale " + droppedStale);
        }
    }

    /**
     * The totals of a run.
     *
     * @param steps   the learner's metrics ordered by step, one report per step (as {@link RunResults#metrics()} holds them)
     * @param sampled distinct group ids on {@code completions} ({@link RunResults#groupsSampled()})
     */
    public static SamplingTotals of(List<TrainingMetrics> steps, long sampled) {
        long trained = Math.round(steps.stream().mapToDouble(m -> m.getMetrics().getOrDefault(TRAIN_GROUPS, 0.0)).sum());
        long dropped = steps.isEmpty() ? 0 : Math.round(steps.get(steps.size() - 1).getMetrics().getOrDefault(STALE_DROPPED_GROUPS, 0.0));
        return new SamplingTotals(sampled, trained, dropped);
    }

    /** {@code droppedStale / sampled}, the share of the sampling thrown away as stale; 0 when nothing was sampled. */
    public double wastedShare() {
        return sampled == 0 ? 0 : (double) droppedStale / sampled;
    }

    /** Groups sampled but neither trained on nor dropped as stale (read after the last step, or dead-lettered); at least 0. */
    public long neither() {
        return Math.max(0, sampled - trained - droppedStale);
    }
}
