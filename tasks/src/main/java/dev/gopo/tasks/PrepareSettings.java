package dev.gopo.tasks;

import dev.gopo.policy.io.Sha256;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * What {@code gopo prepare} builds. Each artifact is keyed by a hash of exactly the settings it
 * depends on (see {@link #policyKey()}, {@link #rewardModelKey(String)}), so changing the reward
 * model steps retrains the reward models but reuses the reference policy.
 *
 * @param tasks             built-in task names, each once (see {@link TaskRegistry})
 * @param modelSize         size preset of the policy and the reward models
 * @param sftSteps          supervised warm-start steps, >= 1
 * @param rmSteps           reward-model training steps per task, >= 1
 * @param seed              seed of everything: prompts, data, initialisation, batch order, judge
 * @param sftBatchSize      demonstrations per warm-start step, >= 1
 * @param sftPromptsPerTask train prompts per task used as demonstrations, >= 1
 * @param rmBatchSize       preference pairs per reward-model step, >= 1
 * @param rmTrainPairs      simulated training preference pairs per task, >= 1
 * @param rmHeldOutPairs    held-out pairs per task for the reported accuracy, >= 1
 * @param raterTemperature  Bradley-Terry temperature of the simulated raters, > 0
 * @param judgePrompts      held-out prompts per task for the reference-vs-untrained judge check, >= 1
 */
public record PrepareSettings(List<String> tasks, ModelSize modelSize, int sftSteps, int rmSteps, long seed,
                              int sftBatchSize, int sftPromptsPerTask, int rmBatchSize, int rmTrainPairs,
                              int rmHeldOutPairs, double raterTemperature, int judgePrompts) {

    /**
     * Bump when task definitions, data generation or training code change in a way that makes
     * old caches stale: it is part of every key.
     */
    public static final int ARTIFACT_VERSION = 2;

    /** Warm-start steps of the reference policy, shared by {@code gopo prepare} and {@code gopo run} so their caches match. */
    public static final int DEFAULT_SFT_STEPS = 1000;
    /** Bradley-Terry steps per reward model, shared by {@code gopo prepare} and {@code gopo run}. */
    public static final int DEFAULT_RM_STEPS = 800;

    public PrepareSettings {
        if (tasks == null || tasks.isEmpty()) {
            throw new IllegalArgumentException("no tasks: list at least one of " + TaskRegistry.names());
        }
        tasks = TaskRegistry.byNames(tasks).stream().map(Task::name).toList();
        if (modelSize == null) {
            throw new IllegalArgumentException("modelSize is missing: use tiny or small");
        }
        atLeastOne("sftSteps", sftSteps);
        atLeastOne("rmSteps", rmSteps);
        atLeastOne("sftBatchSize", sftBatchSize);
        atLeastOne("sftPromptsPerTask", sftPromptsPerTask);
        atLeastOne("rmBatchSize", rmBatchSize);
        atLeastOne("rmTrainPairs", rmTrainPairs);
        atLeastOne("rmHeldOutPairs", rmHeldOutPairs);
        atLeastOne("judgePrompts", judgePrompts);
        if (!(raterTemperature > 0) || Double.isInfinite(raterTemperature)) {
            throw new IllegalArgumentException("raterTemperature must be a finite number > 0, got " + raterTemperature
                    + " (0.05: a gold gap of 0.1 is preferred 88% of the time)");
        }
    }

    /** All built-in tasks, small models, {@link #DEFAULT_SFT_STEPS} warm-start steps, {@link #DEFAULT_RM_STEPS} reward-model steps, seed 42. */
    public static PrepareSettings defaults() {
        return new PrepareSettings(TaskRegistry.names(), ModelSize.SMALL, DEFAULT_SFT_STEPS, DEFAULT_RM_STEPS, 42L,
                32, 2000, 32, 16_000, 1000, 0.05, 64);
    }

    public PrepareSettings withTasks(List<String> newTasks) {
        return new PrepareSettings(newTasks, modelSize, sftSteps, rmSteps, seed, sftBatchSize, sftPromptsPerTask,
                rmBatchSize, rmTrainPairs, rmHeldOutPairs, raterTemperature, judgePrompts);
    }

    public PrepareSettings withModelSize(ModelSize newSize) {
        return new PrepareSettings(tasks, newSize, sftSteps, rmSteps, seed, sftBatchSize, sftPromptsPerTask,
                rmBatchSize, rmTrainPairs, rmHeldOutPairs, raterTemperature, judgePrompts);
    }

    public PrepareSettings withSteps(int newSftSteps, int newRmSteps) {
        return new PrepareSettings(tasks, modelSize, newSftSteps, newRmSteps, seed, sftBatchSize, sftPromptsPerTask,
                rmBatchSize, rmTrainPairs, rmHeldOutPairs, raterTemperature, judgePrompts);
    }

    public PrepareSettings withSeed(long newSeed) {
        return new PrepareSettings(tasks, modelSize, sftSteps, rmSteps, newSeed, sftBatchSize, sftPromptsPerTask,
                rmBatchSize, rmTrainPairs, rmHeldOutPairs, raterTemperature, judgePrompts);
    }

    /** A copy with other data sizes (tests use small ones). */
    public PrepareSettings withDataSizes(int newSftPromptsPerTask, int newRmTrainPairs, int newRmHeldOutPairs,
                                         int newJudgePrompts) {
        return new PrepareSettings(tasks, modelSize, sftSteps, rmSteps, seed, sftBatchSize, newSftPromptsPerTask,
                rmBatchSize, newRmTrainPairs, newRmHeldOutPairs, raterTemperature, newJudgePrompts);
    }

    /** Hash of everything the reference policy depends on. */
    public String policyKey() {
        return hash(String.format(Locale.ROOT, "v%d|policy|%s|%s|steps=%d|batch=%d|prompts=%d|judge=%d|seed=%d",
                ARTIFACT_VERSION, modelSize, String.join(",", tasks), sftSteps, sftBatchSize, sftPromptsPerTask,
                judgePrompts, seed));
    }

    /**
     * Hash of everything the reward model of {@code task} depends on when a share of its
     * preference pairs is drawn from the reference policy with weights {@code policySha256}.
     */
    public String rewardModelKey(String task, String policySha256) {
        return hash(rewardModelKey(task) + "|policy=" + policySha256);
    }

    /** Hash of the settings the reward model of {@code task} depends on, the policy aside. */
    public String rewardModelKey(String task) {
        return hash(String.format(Locale.ROOT, "v%d|reward|%s|%s|steps=%d|batch=%d|pairs=%d|heldout=%d|tau=%s|seed=%d",
                ARTIFACT_VERSION, modelSize, task, rmSteps, rmBatchSize, rmTrainPairs, rmHeldOutPairs,
                Double.toString(raterTemperature), seed));
    }

    private static String hash(String canonical) {
        try {
            return Sha256.ofContent(out -> out.write(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException("hashing in memory cannot fail with I/O, but did", e);
        }
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, got " + value);
        }
    }
}
