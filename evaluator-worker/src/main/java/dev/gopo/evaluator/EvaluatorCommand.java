package dev.gopo.evaluator;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.MetricsOptions;
import dev.gopo.platform.DurationConverter;
import dev.gopo.tasks.ModelDirs;
import dev.gopo.tasks.ModelOptions;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.WorkerProcess;
import dev.gopo.tasks.judge.Bootstrap;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo evaluator}: validation reward and judge win rate of every announced policy version. */
@Command(name = "evaluator", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluate announced policy versions on held-out prompts: mean reward-model score (validation reward),",
                "mean hidden gold quality (the judge's measure, never seen by the learner) of the policy and the reference, and",
                "the pairwise judge win rate against the reference policy with a 95% bootstrap interval over prompts.",
                "Reads <prefix>policy-versions from the beginning; writes <prefix>eval-results (key task:version), a CSV row per",
                "task and version, and <prefix>dead-letters. Versions already on eval-results or in the CSV are not evaluated again."})
public final class EvaluatorCommand implements Callable<Integer> {

    @Mixin
    MetricsOptions metrics = new MetricsOptions();

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--evaluator-id", defaultValue = "evaluator-0", paramLabel = "ID",
            description = "Id of this evaluator (Kafka client id, logs). Default: ${DEFAULT-VALUE}")
    String evaluatorId;

    @Option(names = "--tasks", split = ",", paramLabel = "TASK[,TASK…]",
            description = "Tasks to evaluate. Default: every task of the prepare cache (every built-in task when "
                    + "--reference-policy and --reward-model give all models)")
    List<String> tasks = new ArrayList<>();

    @Option(names = "--eval-prompts", defaultValue = "" + EvaluatorDefaults.EVAL_PROMPTS, paramLabel = "N",
            description = "Held-out (eval split) prompts per task and version, chosen with --seed. Default: ${DEFAULT-VALUE}")
    int evalPrompts;

    @Option(names = "--samples-per-prompt", defaultValue = "" + EvaluatorDefaults.SAMPLES_PER_PROMPT, paramLabel = "K",
            description = {"Completions per prompt for the policy and the reference (same seeds); the judge compares all K pairs",
                    "and its interval resamples prompts, so K > 1 tightens it at K times the sampling cost. Default: ${DEFAULT-VALUE}"})
    int samplesPerPrompt;

    @Option(names = "--every", defaultValue = "1", paramLabel = "N",
            description = "Evaluate only versions whose number is a multiple of N (paper: every 25 steps). Default: ${DEFAULT-VALUE}")
    int every;

    @Option(names = "--max-new-tokens", defaultValue = "" + TaskVocabulary.MAX_COMPLETION_TOKENS, paramLabel = "N",
            description = "Completion length limit, EOS included (clamped to the model's context). Default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--temperature", defaultValue = "1.0", paramLabel = "T",
            description = "Sampling temperature of the evaluated and the reference policy. Default: ${DEFAULT-VALUE}")
    double temperature;

    @Option(names = "--seed", defaultValue = "1234", paramLabel = "SEED",
            description = "Seed of the prompt choice, sampling, the judge's presentation order and the bootstrap. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--bootstrap", defaultValue = "" + Bootstrap.DEFAULT_RESAMPLES, paramLabel = "N",
            description = "Bootstrap resamples for the 95% confidence interval of the win rate (>= 100). Default: ${DEFAULT-VALUE}")
    int bootstrap;

    @Option(names = "--out", defaultValue = "gopo-work/eval.csv", paramLabel = "FILE",
            description = "CSV file a row is appended to per task and version (header written once). Default: ${DEFAULT-VALUE}")
    Path out;

    @Mixin
    ModelOptions models = new ModelOptions();

    @Option(names = "--reference-policy", paramLabel = "DIR",
            description = "Reference policy directory (policy version 0, the supervised warm start). Default: the cache's")
    Path referencePolicy;

    @Option(names = "--max-versions", defaultValue = "0", paramLabel = "N",
            description = "Stop after evaluating N versions (0 = run until Ctrl-C). Default: ${DEFAULT-VALUE}")
    long maxVersions;

    @Option(names = "--idle-timeout", defaultValue = "0", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop after this long without a new announcement, e.g. 30s, 5m or plain seconds (0 = never). Default: ${DEFAULT-VALUE}")
    Duration idleTimeout;

    /**
     * The validated config, with model directories from the explicit options or the prepare cache.
     *
     * @throws IOException when the cache is needed but missing or not intact
     */
    public EvaluatorConfig toConfig() throws IOException {
        ModelDirs dirs = models.resolve(referencePolicy, tasks, true);
        return new EvaluatorConfig(evaluatorId, dirs.tasks(), evalPrompts, samplesPerPrompt, every, maxNewTokens, temperature, seed, bootstrap, out,
                dirs.referencePolicy(), dirs.rewardModels(), maxVersions, idleTimeout);
    }

    @Override
    public Integer call() throws Exception {
        EvaluatorConfig config = toConfig();
        try (MetricsEndpoint endpoint = metrics.start("evaluator")) {
            return WorkerProcess.run("evaluator", cluster.toConfig(), c -> new Evaluator(config, c, endpoint));
        }
    }

    /** Entry point for running the evaluator as its own process. */
    public static void main(String[] args) {
        WorkerProcess.main("evaluator", new EvaluatorCommand(), args);
    }
}
