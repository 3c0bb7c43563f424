package dev.gopo.tasks.warmstart;

import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.tasks.judge.Judge;
import dev.gopo.tasks.judge.WinRate;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Judges one policy against another on held-out prompts: one sampled completion per prompt from
 * each, compared by the gold {@link Judge}.
 * Used to check that the supervised reference policy is better than an untrained one.
 *
 * @param winRate       candidate over baseline, all tasks pooled
 * @param candidateGold mean gold quality of the candidate's completions, by task
 * @param baselineGold  mean gold quality of the baseline's completions, by task
 * @param groupSpread   mean over prompts of the standard deviation of the gold quality within a
 *                      group of {@link #GROUP_SIZE} candidate samples, by task: how much ranking
 *                      signal a group carries (0 when every sample of a group is equally good)
 * @param examples      a few (prompt, candidate completion) pairs per task, for the log
 */
public record WarmStartEvaluation(WinRate winRate, Map<String, Double> candidateGold, Map<String, Double> baselineGold,
                                  Map<String, Double> groupSpread, List<String> examples) {

    /** Group size of the spread measurement: the paper's G. */
    public static final int GROUP_SIZE = 8;

    /** Completion length limit: the longest reference plus EOS. */
    public static final int MAX_NEW_TOKENS = TaskVocabulary.MAX_COMPLETION_TOKENS;

    /** At temperature 1, the paper's sampling temperature. */
    public static WarmStartEvaluation evaluate(PolicyModel candidate, PolicyModel baseline, List<Task> tasks,
                                               int promptsPerTask, long seed) {
        return evaluate(candidate, baseline, tasks, promptsPerTask, 1.0, seed);
    }

    /**
     * @param promptsPerTask held-out prompts per task (fewer when a task has fewer)
     * @param temperature    sampling temperature of both policies
     */
    public static WarmStartEvaluation evaluate(PolicyModel candidate, PolicyModel baseline, List<Task> tasks,
                                               int promptsPerTask, double temperature, long seed) {
        SamplingConfig sampling = new SamplingConfig(temperature, 0, 1.0, MAX_NEW_TOKENS, seed);
        List<Judge.Comparison> comparisons = new ArrayList<>();
        Map<String, Double> candidateGold = new LinkedHashMap<>();
        Map<String, Double> baselineGold = new LinkedHashMap<>();
        Map<String, Double> groupSpread = new LinkedHashMap<>();
        List<String> examples = new ArrayList<>();
        for (Task task : tasks) {
            List<String> prompts = new ArrayList<>();
            for (TaskPrompt p : task.prompts(Split.EVAL, promptsPerTask, seed)) {
                prompts.add(p.text());
            }
            List<String> mine = PolicyCompletions.sample(candidate, prompts, sampling);
            List<String> theirs = PolicyCompletions.sample(baseline, prompts, sampling);
            double sumMine = 0;
            double sumTheirs = 0;
            for (int i = 0; i < prompts.size(); i++) {
                comparisons.add(new Judge.Comparison(task, prompts.get(i), mine.get(i), theirs.get(i)));
                sumMine += task.goldQuality(prompts.get(i), mine.get(i));
                sumTheirs += task.goldQuality(prompts.get(i), theirs.get(i));
                if (i < 3) {
                    examples.add(prompts.get(i) + " -> " + mine.get(i));
                }
            }
            candidateGold.put(task.name(), sumMine / prompts.size());
            groupSpread.put(task.name(), meanGroupSpread(task, prompts,
                    PolicyCompletions.sampleGroups(candidate, prompts, GROUP_SIZE, sampling.withSeed(seed + 7_919))));
            baselineGold.put(task.name(), sumTheirs / prompts.size());
        }
        return new WarmStartEvaluation(new Judge(seed).winRate(comparisons), Collections.unmodifiableMap(candidateGold),
                Collections.unmodifiableMap(baselineGold), Collections.unmodifiableMap(groupSpread), List.copyOf(examples));
    }

    /** Mean over prompts of the population standard deviation of gold quality within each group. */
    static double meanGroupSpread(Task task, List<String> prompts, List<List<String>> groups) {
        double sum = 0;
        for (int i = 0; i < prompts.size(); i++) {
            List<String> group = groups.get(i);
            double mean = 0;
            double[] q = new double[group.size()];
            for (int j = 0; j < q.length; j++) {
                q[j] = task.goldQuality(prompts.get(i), group.get(j));
                mean += q[j] / q.length;
            }
            double var = 0;
            for (double v : q) {
                var += (v - mean) * (v - mean) / q.length;
            }
            sum += Math.sqrt(var);
        }
        return prompts.isEmpty() ? Double.NaN : sum / prompts.size();
    }
}
