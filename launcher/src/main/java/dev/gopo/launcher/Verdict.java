package dev.gopo.launcher;

import dev.gopo.avro.EvaluationResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Did training change one task's policy in a way the judge confirms? One line per task, for the
 * report of {@code gopo run} (and any later command that compares runs).
 *
 * <p>The rule: the <b>last evaluated</b> policy version decides. With {@code [lo, hi]} its 95%
 * bootstrap interval of the judge win rate against the reference policy,
 * <pre>
 * IMPROVED   when lo &gt; 0.5
 * WORSE      when hi &lt; 0.5
 * NO_CHANGE  otherwise
 * </pre>
 * The last version is the one fixed before the curve is seen. Picking the best of N evaluated
 * versions would pick noise: with every version equal to the reference, each interval misses 0.5
 * about 2.5% of the time on the high side, so the best of 10 would claim a gain in up to one run in
 * five ({@code 1 - 0.975^10 = 0.22}; less as neighbouring versions are alike). The best version (highest win rate, the earlier on a tie) is still shown, for reading, but
 * it does not decide.
 *
 * @param task  task name
 * @param kind  the verdict
 * @param first the lowest evaluated version (usually version 0, the reference's own weights): the "before"
 * @param last  the highest evaluated version: the "after", and the one that decides
 * @param best  the version with the highest judge win rate
 */
public record Verdict(String task, Kind kind, EvaluationResult first, EvaluationResult last, EvaluationResult best) {

    /** What the last evaluated version's interval says. */
    public enum Kind {
        /** The interval lies above one half. */
        IMPROVED("improved"),
        /** The interval lies below one half. */
        WORSE("worse"),
        /** The interval contains one half. */
        NO_CHANGE("no judge-confirmed change");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * Each task's evaluations ordered by policy version, tasks by name. A (task, version) found more
     * than once (a result re-published after a crash) counts once: the latest evaluation is kept.
     */
    public static SortedMap<String, List<EvaluationResult>> curves(Collection<EvaluationResult> results) {
        Map<String, EvaluationResult> latest = new LinkedHashMap<>();
        for (EvaluationResult r : results) {
            latest.merge(r.getTask() + ":" + r.getPolicyVersion(), r,
                    (a, b) -> b.getEvaluatedAtMs() >= a.getEvaluatedAtMs() ? b : a);
        }
        SortedMap<String, List<EvaluationResult>> byTask = new TreeMap<>();
        for (EvaluationResult r : latest.values()) {
            byTask.computeIfAbsent(r.getTask(), t -> new ArrayList<>()).add(r);
        }
        byTask.values().forEach(list -> list.sort(Comparator.comparingLong(EvaluationResult::getPolicyVersion)));
        return byTask;
    }

    /** One verdict per task, tasks by name. */
    public static List<Verdict> byTask(Collection<EvaluationResult> results) {
        return curves(results).values().stream().map(Verdict::of).toList();
    }

    /**
     * The verdict of one task.
     *
     * @param curve the task's evaluations, at least one, all of one task (any order; one per version)
     */
    public static Verdict of(List<EvaluationResult> curve) {
        if (curve.isEmpty()) {
            throw new IllegalArgumentException("no evaluation results: a verdict needs at least one evaluated version");
        }
        String task = curve.get(0).getTask();
        if (curve.stream().anyMatch(r -> !r.getTask().equals(task))) {
            throw new IllegalArgumentException("results of several tasks given for one verdict; group them with Verdict.curves");
        }
        Comparator<EvaluationResult> byVersion = Comparator.comparingLong(EvaluationResult::getPolicyVersion);
        EvaluationResult first = curve.stream().min(byVersion).orElseThrow();
        EvaluationResult last = curve.stream().max(byVersion).orElseThrow();
        EvaluationResult best = curve.stream()
                .max(Comparator.comparingDouble(EvaluationResult::getWinRate).thenComparing(byVersion.reversed()))
                .orElseThrow();
        Kind kind = last.getWinRateCiLow() > 0.5 ? Kind.IMPROVED : last.getWinRateCiHigh() < 0.5 ? Kind.WORSE : Kind.NO_CHANGE;
        return new Verdict(task, kind, first, last, best);
    }

    /**
     * The verdict as one line, e.g.
     * {@code summarise: improved: judge 0.680 [0.610, 0.750] at step 120 (validation reward -4.87 -> -3.10, hidden gold 0.42 -> 0.61)}.
     */
    public String line() {
        StringBuilder s = new StringBuilder();
        s.append(task).append(": ").append(kind.label()).append(": judge ").append(judge(last))
                .append(" at step ").append(last.getStep());
        if (kind == Kind.NO_CHANGE && best != last) {
            s.append(", best ").append(judge(best)).append(" at step ").append(best.getStep());
        }
        s.append(" (validation reward ").append(num(first.getValidationReward())).append(" -> ").append(num(last.getValidationReward()));
        Double goldBefore = first.getGoldQuality() != null ? first.getGoldQuality() : last.getReferenceGoldQuality();
        if (goldBefore != null && last.getGoldQuality() != null) {
            s.append(", hidden gold ").append(num(goldBefore)).append(" -> ").append(num(last.getGoldQuality()));
        }
        return s.append(')').toString();
    }

    private static String judge(EvaluationResult r) {
        return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", r.getWinRate(), r.getWinRateCiLow(), r.getWinRateCiHigh());
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }
}
