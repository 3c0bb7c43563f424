package dev.gopo.launcher;

import dev.gopo.learner.LearnerDefaults;
import dev.gopo.evaluator.EvaluatorDefaults;
import dev.gopo.generator.GeneratorConfig;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.PrepareOptions;
import dev.gopo.tasks.PrepareSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo run}: the main job on the embedded default (no external services). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"The main job on the embedded default: prepare (or reuse) the reference policy and reward models,",
                "start a KRaft broker and the schema registry on this machine, run ranker, learner, generator(s) and evaluator,",
                "train for --steps steps, print the metrics and the evaluation of every policy version, and shut down."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    PrepareOptions prepareOptions;

    @Option(names = "--work-dir", defaultValue = "gopo-work/run", description = "Broker data, checkpoints, weights, eval CSV. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--steps", defaultValue = "300", description = "Learner steps. Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--groups-per-step", defaultValue = "" + LearnerDefaults.GROUPS_PER_STEP, description = "Prompts (groups) per learner step. Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = {"-G", "--group-size"}, defaultValue = "8", description = "Completions per prompt. Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--checkpoint-every", defaultValue = "" + LearnerDefaults.CHECKPOINT_EVERY, description = "Checkpoint (and announce a policy version) every N steps. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--generators", defaultValue = "1", description = "Generator instances (they share the prompt partitions). Default: ${DEFAULT-VALUE}")
    int generators;

    @Option(names = "--prompts-per-batch", defaultValue = "" + GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH, paramLabel = "N",
            description = {"Each generator samples the groups of up to N prompts in one batched forward pass (N x G rows; 1 = one group",
                    "per pass), never more than its step budget still allows. Default: ${DEFAULT-VALUE}"})
    int promptsPerBatch;

    @Option(names = "--estimators", split = ",", defaultValue = "GOPO,GRPO",
            description = "Estimators the ranker runs side by side; the learner trains on the first. Default: ${DEFAULT-VALUE}")
    List<Estimator> estimators;

    @Option(names = "--lr", defaultValue = "" + LearnerDefaults.LR, description = "Learner peak learning rate. Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--beta", defaultValue = "" + LearnerDefaults.BETA, description = "KL weight. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--max-staleness-steps", defaultValue = "" + LearnerDefaults.MAX_STALENESS_STEPS, paramLabel = "STEPS",
            description = {"Learner staleness bound in optimiser steps: groups sampled by weights more than this many learner steps",
                    "old are dropped. Generators get new weights every --checkpoint-every steps, so keep it >= --checkpoint-every.",
                    "Default: ${DEFAULT-VALUE}"})
    long maxStalenessSteps;

    @Option(names = "--max-policy-lag", paramLabel = "VERSIONS",
            description = "Optional extra learner bound in announced policy versions (coarse: versions come only at checkpoints). Default: off")
    Long maxPolicyLag;

    @Option(names = "--eval-prompts", defaultValue = "" + EvaluatorDefaults.EVAL_PROMPTS, description = "Held-out prompts per task and version for the evaluator (constrained has 29). Default: ${DEFAULT-VALUE}")
    int evalPrompts;

    @Option(names = "--samples-per-prompt", defaultValue = "" + EvaluatorDefaults.SAMPLES_PER_PROMPT,
            description = "Completions per held-out prompt for the policy and the reference; the judge compares every pair and its interval resamples prompts. Default: ${DEFAULT-VALUE}")
    int samplesPerPrompt;

    @Option(names = "--eval-every", defaultValue = "5", paramLabel = "VERSIONS",
            description = {"Evaluate policy versions whose number is a multiple of this (versions come every --checkpoint-every steps).",
                    "The last version is always evaluated. Default: ${DEFAULT-VALUE}"})
    int evalEvery;

    @Option(names = "--reward-transform", defaultValue = "identity", paramLabel = "SPEC",
            description = "Transform of each group's rewards before ranking: identity, affine:A:B, exp:K, power:P (strictly increasing) "
                    + "or noise:SIGMA (changes the order). Default: ${DEFAULT-VALUE}")
    String rewardTransform;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of preparation, prompts and sampling. Default: ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() throws Exception {
        return new PipelineRun(settings(), new PrintWriter(System.out, true)).run();
    }

    /** The run these options describe, validated: a bad value throws here, before anything is prepared or started. */
    PipelineRun.Settings settings() {
        return new PipelineRun.Settings(workDir, prepareOptions.cacheDir(), prepareSettings(), new OnlineTraining.Settings(steps,
                groupsPerStep, groupSize, checkpointEvery, generators, estimators, lr, beta, maxStalenessSteps,
                maxPolicyLag == null ? LearnerConfig.NO_VERSION_BOUND : maxPolicyLag, evalPrompts, samplesPerPrompt, evalEvery, seed,
                RewardTransform.parse(rewardTransform), false, promptsPerBatch));
    }

    /** What {@code gopo prepare} would build with the same options: the same defaults, so the cache is reused. */
    PrepareSettings prepareSettings() {
        return prepareOptions.settings(seed);
    }
}
