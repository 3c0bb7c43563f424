package dev.gopo.launcher;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.TrainingMetrics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * The closing report of {@code gopo run}: the learner's per-step metrics and totals, each task's
 * curve per policy version (validation reward, hidden gold quality, judge win rate with its 95%
 * interval) and one {@link Verdict} line per task. Pure formatting of the records read back from
 * the metrics and eval-results topics, so it is tested without a broker.
 */
final class RunReport {
    /** Newer learners report staleness in optimizer steps; older ones only in policy versions. */
    static final String LAG_OPTIMIZER_STEPS = "lag/optimizer_steps";
    static final String LAG_POLICY_VERSIONS = "lag/policy_versions";
    /** Cumulative counters of the learner (see the learner README): the last step's value is the run's total. */
    static final List<String> TOTALS = List.of("steps/recomputed", "steps/skipped_non_finite", SamplingTotals.STALE_DROPPED_GROUPS,
            "dead_letters/total");

    private static final String INDENT = "   ";

    private RunReport() {
    }

    /** The report as text, one line per {@code \n}, every line indented by three spaces; without the sampling line. */
    static String format(Collection<TrainingMetrics> metrics, Collection<EvaluationResult> results) {
        return format(metrics, results, -1);
    }

    /**
     * The report with a sampling line when {@code groupsSampled >= 0}: groups the generators published (distinct group ids
     * on {@code completions}), trained on, dropped as stale, and the wasted share ({@link SamplingTotals}).
     */
    static String format(Collection<TrainingMetrics> metrics, Collection<EvaluationResult> results, long groupsSampled) {
        StringBuilder out = new StringBuilder();
        List<TrainingMetrics> steps = RunResults.latestPerStep(metrics);
        metrics(out, steps);
        if (groupsSampled >= 0 && !steps.isEmpty()) {
            sampling(out, SamplingTotals.of(steps, groupsSampled));
        }
        evaluations(out, Verdict.curves(results));
        return out.toString();
    }

    private static void sampling(StringBuilder out, SamplingTotals s) {
        line(out, String.format(Locale.ROOT, "sampling: %d groups sampled, %d trained on, %d dropped as stale: wasted share %.1f%% "
                        + "(dropped / sampled); %d neither (read after the last step, or dead-lettered)", s.sampled(), s.trained(),
                s.droppedStale(), 100 * s.wastedShare(), s.neither()));
    }

    private static void metrics(StringBuilder out, List<TrainingMetrics> steps) {
        if (steps.isEmpty()) {
            line(out, "no learner metrics were read back");
            return;
        }
        String lagKey = steps.stream().anyMatch(m -> m.getMetrics().containsKey(LAG_OPTIMIZER_STEPS)) ? LAG_OPTIMIZER_STEPS : LAG_POLICY_VERSIONS;
        line(out, "step  loss/policy   loss/kl  ratio/mean  clip_frac  grad/norm  lag  tokens/s");
        for (TrainingMetrics m : steps) {
            Map<String, Double> v = m.getMetrics();
            line(out, String.format(Locale.ROOT, "%4d  %s  %s  %s  %s  %s  %s  %s", m.getStep(),
                    num(v, "loss/policy", 11, 4), num(v, "loss/kl", 8, 5), num(v, "ratio/mean", 10, 4),
                    num(v, "ratio/clip_fraction", 9, 3), num(v, "grad/norm", 9, 3), num(v, lagKey, 3, 1),
                    num(v, "throughput/tokens_per_s", 8, 0)));
        }
        TrainingMetrics last = steps.get(steps.size() - 1);
        List<String> totals = new ArrayList<>();
        for (String key : TOTALS) {
            Double value = last.getMetrics().get(key);
            if (value != null) {
                totals.add(key + String.format(Locale.ROOT, " %.0f", value));
            }
        }
        double lagSum = 0;
        int lagCount = 0;
        for (TrainingMetrics m : steps) {
            Double lag = m.getMetrics().get(lagKey);
            if (lag != null && Double.isFinite(lag)) {
                lagSum += lag;
                lagCount++;
            }
        }
        if (lagCount > 0) {
            totals.add(String.format(Locale.ROOT, "mean %s %.2f", lagKey, lagSum / lagCount));
        }
        line(out, "learner totals over " + steps.size() + (steps.size() == 1 ? " step" : " steps")
                + (totals.isEmpty() ? "" : ": " + String.join("; ", totals)));
    }

    private static void evaluations(StringBuilder out, SortedMap<String, List<EvaluationResult>> curves) {
        line(out, "");
        if (curves.isEmpty()) {
            line(out, "no evaluation results were read back");
            return;
        }
        line(out, "evaluation per policy version; hidden gold = Task.goldQuality, the judge's measure, which the learner never sees");
        line(out, "task          version  step  validation reward  hidden gold  judge win rate vs reference [95% CI]  prompts");
        for (List<EvaluationResult> curve : curves.values()) {
            for (EvaluationResult r : curve) {
                line(out, String.format(Locale.ROOT, "%-12s  %7d  %4d  %17.4f  %11s  %.3f [%.3f, %.3f]%17s", r.getTask(),
                        r.getPolicyVersion(), r.getStep(), r.getValidationReward(), gold(r.getGoldQuality()), r.getWinRate(),
                        r.getWinRateCiLow(), r.getWinRateCiHigh(), r.getNumPrompts() + "x" + r.getSamplesPerPrompt()));
            }
            Double reference = curve.get(curve.size() - 1).getReferenceGoldQuality();
            if (reference != null) {
                line(out, String.format(Locale.ROOT, "%-12s  reference policy: hidden gold %.4f", curve.get(0).getTask(), reference));
            }
        }
        line(out, "");
        line(out, "verdict per task (improved = the last evaluated version's 95% judge interval lies above 0.5):");
        for (List<EvaluationResult> curve : curves.values()) {
            line(out, Verdict.of(curve).line());
        }
    }

    private static String num(Map<String, Double> values, String key, int width, int decimals) {
        Double v = values.get(key);
        if (v == null) {
            return String.format(Locale.ROOT, "%" + width + "s", "-");
        }
        return String.format(Locale.ROOT, "%" + width + "." + decimals + "f", v);
    }

    private static String gold(Double v) {
        return v == null ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static void line(StringBuilder out, String text) {
        out.append(text.isEmpty() ? "" : INDENT + text).append('\n');
    }
}
