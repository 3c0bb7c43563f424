package dev.gopo.evaluator;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;
import dev.gopo.tasks.judge.Judge;
import dev.gopo.tasks.judge.WinRate;
import dev.gopo.tasks.reward.RewardModel;
import dev.gopo.tasks.warmstart.PolicyCompletions;
import java.util.List;

/**
 * Evaluates policies on one task's held-out prompts against the reference policy.
 *
 * <p>Built once per task: the {@code Split.EVAL} prompts (fixed seed, so every version sees the
 * same prompts), the reference policy's {@code K = samplesPerPrompt} completions of each, their
 * mean reward and their mean hidden gold quality, all kept in memory. Then per version: sample
 * {@code K} completions per prompt with the same sampling seeds as the reference, score them with
 * the task's reward model (validation reward) and with {@link Task#goldQuality} (the hidden gold
 * measure the judge uses and the learner never sees), and let the {@link Judge} compare each with
 * the reference's completion of the same prompt and seed (win rate, ties half, 95% percentile
 * bootstrap over prompts, whole prompts resampled when {@code K > 1}).
 *
 * <p>Sample {@code j} of prompt {@code i} (of {@code n}) uses sampling seed
 * {@code seed + j * n + i}: with {@code K = 1} that is {@code seed + i}, as before the option existed.
 *
 * <p>Not thread-safe; the reward model is owned by the caller.
 */
final class TaskEvaluator {
    private static final double CI_LEVEL = 0.95;

    private final Task task;
    private final RewardModel rewardModel;
    private final EvaluatorConfig config;
    private final List<TaskPrompt> prompts;
    private final List<String> promptTexts;
    /** The prompts repeated {@code K} times, sample-major: index {@code j * n + i} is sample j of prompt i. */
    private final List<String> sampledPrompts;
    private final List<String> referenceTexts;
    private final double referenceReward;
    private final double referenceGold;

    TaskEvaluator(Task task, RewardModel rewardModel, PolicyModel reference, EvaluatorConfig config) {
        this.task = task;
        this.rewardModel = rewardModel;
        this.config = config;
        this.prompts = task.prompts(Split.EVAL, config.evalPrompts(), config.seed());
        if (prompts.isEmpty()) {
            throw new IllegalStateException("task " + task.name() + " produced no evaluation prompts");
        }
        this.promptTexts = prompts.stream().map(TaskPrompt::text).toList();
        this.sampledPrompts = Judge.sampleMajor(promptTexts, config.samplesPerPrompt());
        this.referenceTexts = PolicyCompletions.sample(reference, sampledPrompts, sampling(reference));
        this.referenceReward = mean(rewardModel.scoreBatch(sampledPrompts, referenceTexts));
        this.referenceGold = goldQuality(referenceTexts);
    }

    Task task() {
        return task;
    }

    int promptCount() {
        return prompts.size();
    }

    double referenceReward() {
        return referenceReward;
    }

    /** Mean hidden gold quality of the reference's completions. */
    double referenceGoldQuality() {
        return referenceGold;
    }

    /** Evaluates {@code policy}, the weights announced as {@code announced}. */
    EvalRow evaluate(PolicyModel policy, PolicyVersion announced) {
        List<String> texts = PolicyCompletions.sample(policy, sampledPrompts, sampling(policy));
        double validationReward = mean(rewardModel.scoreBatch(sampledPrompts, texts));
        List<List<Judge.Comparison>> byPrompt = Judge.byPrompt(task, sampledPrompts, config.samplesPerPrompt(), texts, referenceTexts);
        // Seeded by version too, so presentation orders differ between versions but repeat on a re-run.
        WinRate winRate = new Judge(config.seed() * 31 + announced.getVersion())
                .winRateByPrompt(byPrompt, CI_LEVEL, config.bootstrapSamples());
        EvaluationResult result = EvaluationResult.newBuilder()
                .setPolicyVersion(announced.getVersion())
                .setStep(announced.getStep())
                .setTask(task.name())
                .setNumPrompts(promptTexts.size())
                .setSamplesPerPrompt(config.samplesPerPrompt())
                .setValidationReward(validationReward)
                .setWinRate(winRate.winRate())
                .setWinRateCiLow(winRate.ciLow())
                .setWinRateCiHigh(winRate.ciHigh())
                .setGoldQuality(goldQuality(texts))
                .setReferenceGoldQuality(referenceGold)
                .setEvaluatedAtMs(System.currentTimeMillis())
                .build();
        double meanChars = texts.stream().mapToInt(String::length).average().orElse(0);
        return new EvalRow(result, announced.getEstimator(), referenceReward, winRate.wins(), winRate.ties(),
                winRate.losses(), meanChars, announced.getSha256());
    }

    /** Mean hidden gold quality of completions of {@link #sampledPrompts}, in that order. */
    private double goldQuality(List<String> completions) {
        double sum = 0;
        for (int k = 0; k < completions.size(); k++) {
            sum += task.goldQuality(sampledPrompts.get(k), completions.get(k));
        }
        return sum / completions.size();
    }

    /**
     * Same seed for every model, so the policy and the reference draw prompt {@code i}'s completion
     * from the same random numbers (common random numbers: equal weights write equal text and tie).
     * The length limit is clamped so the longest prompt still fits the model's context.
     */
    private SamplingConfig sampling(PolicyModel model) {
        int room;
        try {
            room = PolicyCompletions.room(model, promptTexts, config.maxNewTokens());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(task.name() + ": " + e.getMessage(), e);
        }
        return new SamplingConfig(config.temperature(), 0, 1.0, room, config.seed());
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }
}
