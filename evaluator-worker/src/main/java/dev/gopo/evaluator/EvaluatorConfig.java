package dev.gopo.evaluator;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.tasks.TaskRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Immutable settings of one evaluator, validated at start-up. Every check says which option to
 * change and how.
 *
 * @param evaluatorId      id of this evaluator: producer client id, shown in logs
 * @param tasks            tasks to evaluate, by canonical name (empty on the command line = every built-in task)
 * @param evalPrompts      held-out prompts ({@code Split.EVAL}) per task and version
 * @param samplesPerPrompt completions per prompt for the policy and the reference; the judge compares every
 *                         pair and its interval resamples prompts (clusters), so more samples narrow it honestly
 * @param every            evaluate only versions whose number is a multiple of this (1 = every version);
 *                         by number rather than by count so a restart picks the same versions
 * @param maxNewTokens     completion length limit (EOS included); clamped per prompt to the model's context
 * @param temperature      sampling temperature of the evaluated and the reference policy
 * @param seed             seed of the prompt choice, of sampling and of the judge's order and bootstrap
 * @param bootstrapSamples bootstrap resamples for the 95% confidence interval of the win rate
 * @param out              CSV file a row is appended to per (task, version)
 * @param referencePolicy  directory of the reference policy (version 0, the supervised warm start)
 * @param rewardModels     reward-model directory per task name; every evaluated task needs one
 * @param maxVersions      stop after evaluating this many versions (0 = run until stopped)
 * @param idleTimeout      stop after this long without a new announcement (zero = never)
 */
public record EvaluatorConfig(String evaluatorId, List<String> tasks, int evalPrompts, int samplesPerPrompt, int every,
                              int maxNewTokens, double temperature, long seed, int bootstrapSamples, Path out,
                              Path referencePolicy, Map<String, Path> rewardModels, long maxVersions, Duration idleTimeout) {

    /** Fewer resamples give percentiles that jump between runs with different seeds. */
    static final int MIN_BOOTSTRAP = 100;

    public EvaluatorConfig {
        if (evaluatorId == null || !evaluatorId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--evaluator-id '" + evaluatorId + "' must be letters, digits, '.', '_' or '-'");
        }
        tasks = canonicalTasks(tasks);
        if (evalPrompts < 1) {
            throw new IllegalArgumentException("--eval-prompts must be >= 1, got " + evalPrompts
                    + " (32 gives a usable confidence interval on the built-in tasks)");
        }
        if (samplesPerPrompt < 1) {
            throw new IllegalArgumentException("--samples-per-prompt must be >= 1, got " + samplesPerPrompt
                    + " (1 = one completion per prompt; 4 or 8 tighten the judge's interval at that many times the sampling cost)");
        }
        if (every < 1) {
            throw new IllegalArgumentException("--every must be >= 1 (1 = every announced version), got " + every);
        }
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("--max-new-tokens must be >= 1, got " + maxNewTokens
                    + " (the built-in tasks need " + TaskVocabulary.MAX_COMPLETION_TOKENS + " with the prepared word-level policy)");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("--temperature must be a finite number > 0, got " + temperature
                    + " (use the generators' temperature, 1.0 by default)");
        }
        if (bootstrapSamples < MIN_BOOTSTRAP) {
            throw new IllegalArgumentException("--bootstrap must be >= " + MIN_BOOTSTRAP + ", got " + bootstrapSamples
                    + " (1000 is the usual choice)");
        }
        if (out == null) {
            throw new IllegalArgumentException("--out is missing: give the CSV file to append results to, e.g. gopo-work/eval.csv");
        }
        if (referencePolicy == null) {
            throw new IllegalArgumentException("no reference policy: pass --cache-dir (the directory 'gopo prepare' filled) "
                    + "or --reference-policy DIR");
        }
        rewardModels = rewardModels == null ? Map.of() : Map.copyOf(rewardModels);
        for (String task : tasks) {
            if (!rewardModels.containsKey(task)) {
                throw new IllegalArgumentException("no reward model for task '" + task + "': pass --cache-dir or --reward-model "
                        + task + "=DIR, or leave the task out of --tasks");
            }
        }
        if (maxVersions < 0) {
            throw new IllegalArgumentException("--max-versions must be >= 0 (0 = run until stopped), got " + maxVersions);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be >= 0 seconds (0 = never), got " + idleTimeout);
        }
    }

    /** One sample per prompt (the settings before {@code samplesPerPrompt} existed). */
    public EvaluatorConfig(String evaluatorId, List<String> tasks, int evalPrompts, int every, int maxNewTokens,
                           double temperature, long seed, int bootstrapSamples, Path out, Path referencePolicy,
                           Map<String, Path> rewardModels, long maxVersions, Duration idleTimeout) {
        this(evaluatorId, tasks, evalPrompts, 1, every, maxNewTokens, temperature, seed, bootstrapSamples, out, referencePolicy,
                rewardModels, maxVersions, idleTimeout);
    }

    /** Canonical task names, each once; empty or null means every built-in task. */
    private static List<String> canonicalTasks(List<String> names) {
        if (names == null || names.isEmpty()) {
            return TaskRegistry.names();
        }
        return TaskRegistry.byNames(names.stream().map(String::strip).toList()).stream().map(Task::name).toList();
    }

    /** Whether {@code version} is one this evaluator evaluates ({@code --every}). */
    public boolean selects(long version) {
        return version % every == 0;
    }

    /** The key of a result on eval-results and in the CSV. */
    public static String resultKey(String task, long version) {
        return task + ":" + version;
    }
}
