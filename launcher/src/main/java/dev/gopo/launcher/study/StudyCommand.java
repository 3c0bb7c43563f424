package dev.gopo.launcher.study;

import dev.gopo.learner.LearnerDefaults;
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

/**
 * {@code gopo study}: GOPO against GRPO, Dr. GRPO and RLOO on the embedded default, online and on replayed
 * rollouts, with and without a heavy-tailed strictly increasing reward transform, over several seeds.
 * Resumable, with a progress bar; writes {@code study.csv}, {@code head-to-head.csv} and the HTML report.
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Run the head-to-head study: estimators x reward transforms x seeds, each cell an online run with the same "
                + "budget and (mode replay) a replay of each seed's recorded GOPO rollouts, on one embedded broker.",
                "Finished cells are saved under --study-dir; running the same command again resumes. Ends with the head-to-head of "
                        + "final policies against GOPO's and writes the report (STUDY/report/index.html).",
                "Defaults fit in about 45 minutes on 2 cores; --quick in about 10. Options given explicitly override the preset."})
public final class StudyCommand implements Callable<Integer> {
    @Mixin
    PrepareOptions prepareOptions;

    @Option(names = "--study-dir", defaultValue = "gopo-work/study", description = "Where cells, CSVs and the report go. Default: ${DEFAULT-VALUE}")
    Path studyDir;


    @Option(names = "--quick", description = "A small preset (GOPO and GRPO, 2 seeds, 40 steps of 8 groups): about 10 minutes.")
    boolean quick;

    @Option(names = "--modes", split = ",", paramLabel = "MODE", description = "online, replay or both. Default: online,replay")
    List<StudyMode> modes;

    @Option(names = "--estimators", split = ",", paramLabel = "ESTIMATOR",
            description = "Estimators to compare (GOPO is the opponent of the head-to-head). Default: GOPO,GRPO,DR_GRPO,RLOO (--quick: GOPO,GRPO)")
    List<Estimator> estimators;

    @Option(names = "--transforms", split = ",", paramLabel = "SPEC",
            description = "Reward transforms: identity, affine:A:B, exp:K, power:P, noise:SIGMA. Default: identity,power:3")
    List<String> transforms;

    @Option(names = "--seeds", split = ",", paramLabel = "SEED", description = "Run seeds. Default: 42,7,2026 (--quick: 42,7)")
    List<Long> seeds;




    @Option(names = "--steps", description = "Learner steps per cell. Default: " + Defaults.STEPS + " (--quick: " + Quick.STEPS + ")")
    Integer steps;

    @Option(names = "--groups-per-step", description = "Groups per learner step. Default: " + LearnerDefaults.GROUPS_PER_STEP
            + " (--quick: " + Quick.GROUPS_PER_STEP + ")")
    Integer groupsPerStep;

    @Option(names = {"-G", "--group-size"}, defaultValue = "8", description = "Completions per prompt. Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--checkpoint-every", description = "Steps per policy version. Default: " + LearnerDefaults.CHECKPOINT_EVERY
            + " (--quick: " + Quick.CHECKPOINT_EVERY + ")")
    Integer checkpointEvery;

    @Option(names = "--lr", defaultValue = "" + LearnerDefaults.LR, description = "Peak learning rate. Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--beta", defaultValue = "" + LearnerDefaults.BETA, description = "KL weight. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--max-staleness-steps", defaultValue = "" + LearnerDefaults.MAX_STALENESS_STEPS,
            description = "Staleness bound of online cells, in optimiser steps. Default: ${DEFAULT-VALUE}")
    long maxStalenessSteps;

    @Option(names = "--eval-prompts", description = "Held-out prompts per task and evaluated version. Default: " + Defaults.EVAL_PROMPTS
            + " (--quick: " + Quick.EVAL_PROMPTS + ")")
    Integer evalPrompts;

    @Option(names = "--samples-per-prompt", defaultValue = "2", description = "Completions per evaluation prompt. Default: ${DEFAULT-VALUE}")
    int samplesPerPrompt;

    @Option(names = "--eval-every", description = "Evaluate every N policy versions (the last always). Default: " + Defaults.EVAL_EVERY
            + " (--quick: " + Quick.EVAL_EVERY + ")")
    Integer evalEvery;

    @Option(names = "--head-to-head-prompts", description = "Held-out prompts per task and seed in the final head-to-head. Default: "
            + Defaults.HEAD_TO_HEAD_PROMPTS + " (--quick: " + Quick.HEAD_TO_HEAD_PROMPTS + ")")
    Integer headToHeadPrompts;

    @Option(names = "--prepare-seed", defaultValue = "42", description = "Seed of the shared reference policy and reward models. Default: ${DEFAULT-VALUE}")
    long prepareSeed;

    /** The default study: sized to finish in about 45 minutes on a 2-core machine. */
    static final class Defaults {
        static final int STEPS = 150;
        static final int EVAL_PROMPTS = 64;
        static final int EVAL_EVERY = 5;
        static final int HEAD_TO_HEAD_PROMPTS = 64;
        static final List<Estimator> ESTIMATORS = List.of(Estimator.GOPO, Estimator.GRPO, Estimator.DR_GRPO, Estimator.RLOO);
        static final List<Long> SEEDS = List.of(42L, 7L, 2026L);
    }

    /** {@code --quick}: about 10 minutes. */
    static final class Quick {
        static final int STEPS = 40;
        static final int GROUPS_PER_STEP = 8;
        static final int CHECKPOINT_EVERY = 5;
        static final int EVAL_PROMPTS = 32;
        static final int EVAL_EVERY = 2;
        static final int HEAD_TO_HEAD_PROMPTS = 32;
        static final List<Estimator> ESTIMATORS = List.of(Estimator.GOPO, Estimator.GRPO);
        static final List<Long> SEEDS = List.of(42L, 7L);
    }

    StudySettings settings() {
        PrepareSettings prepare = prepareOptions.settings(prepareSeed);
        return new StudySettings(
                or(modes, List.of(StudyMode.ONLINE, StudyMode.REPLAY)),
                or(estimators, quick ? Quick.ESTIMATORS : Defaults.ESTIMATORS),
                or(transforms, List.of(StudySettings.IDENTITY, "power:3")),
                or(seeds, quick ? Quick.SEEDS : Defaults.SEEDS),
                prepare,
                or(steps, quick ? Quick.STEPS : Defaults.STEPS),
                or(groupsPerStep, quick ? Quick.GROUPS_PER_STEP : LearnerDefaults.GROUPS_PER_STEP),
                groupSize,
                or(checkpointEvery, quick ? Quick.CHECKPOINT_EVERY : LearnerDefaults.CHECKPOINT_EVERY),
                lr, beta, maxStalenessSteps,
                or(evalPrompts, quick ? Quick.EVAL_PROMPTS : Defaults.EVAL_PROMPTS),
                samplesPerPrompt,
                or(evalEvery, quick ? Quick.EVAL_EVERY : Defaults.EVAL_EVERY),
                or(headToHeadPrompts, quick ? Quick.HEAD_TO_HEAD_PROMPTS : Defaults.HEAD_TO_HEAD_PROMPTS));
    }

    private static <T> T or(T given, T preset) {
        return given != null ? given : preset;
    }

    @Override
    public Integer call() throws Exception {
        return new StudyRunner(settings(), studyDir, prepareOptions.cacheDir(), new PrintWriter(System.out, true)).run();
    }
}
