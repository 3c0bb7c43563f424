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
import java.util.ArrayList;
import java.util.List;

/**
 * Evaluates policies on one task's held-out prompts against the reference policy.
 *
 * <p>Built once per task: the {@code Split.EVAL} prompts (fixed seed, so every version sees the
 * same prompts), the reference policy's completions of them and their mean reward, all kept in
 * memory. Then per version: sample one completion per prompt with the same sampling seeds as the
 * reference, score them with the task's reward model (validation reward) and let the
 * {@link Judge} compare each with the reference's completion of the same prompt (win rate, ties
 * half, 95% percentile-bootstrap interval over prompts).
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
    private final List<String> referenceTexts;
    private final double referenceReward;

    TaskEvaluator(Task task, RewardModel rewardModel, PolicyModel reference, EvaluatorConfig config) {
        this.task = task;
        this.rewardModel = rewardModel;
        this.config = config;
        this.prompts = task.prompts(Split.EVAL, config.evalPrompts(), config.seed());
        if (prompts.isEmpty()) {
            throw new IllegalStateException("task " + task.name() + " produced no evaluation prompts");
        }
        this.promptTexts = prompts.stream().map(TaskPrompt::text).toList();
        this.referenceTexts = PolicyCompletions.sample(reference, promptTexts, sampling(reference));
        this.referenceReward = mean(rewardModel.scoreBatch(promptTexts, referenceTexts));
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

    /** Evaluates {@code policy}, the weights announced as {@code announced}. */
    EvalRow evaluate(PolicyModel policy, PolicyVersion announced) {
        List<String> texts = PolicyCompletions.sample(policy, promptTexts, sampling(policy));
        double validationReward = mean(rewardModel.scoreBatch(promptTexts, texts));
        List<Judge.Comparison> comparisons = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            comparisons.add(new Judge.Comparison(task, promptTexts.get(i), texts.get(i), referenceTexts.get(i)));
        }
        // Seeded by version too, so presentation orders differ between versions but repeat on a re-run.
        WinRate winRate = new Judge(config.seed() * 31 + announced.getVersion())
                .winRate(comparisons, CI_LEVEL, config.bootstrapSamples());
        EvaluationResult result = EvaluationResult.newBuilder()
                .setPolicyVersion(announced.getVersion())
                .setStep(announced.getStep())
                .setTask(task.name())
                .setNumPrompts(texts.size())
                .setValidationReward(validationReward)
                .setWinRate(winRate.winRate())
                .setWinRateCiLow(winRate.ciLow())
                .setWinRateCiHigh(winRate.ciHigh())
                .setEvaluatedAtMs(System.currentTimeMillis())
                .build();
        double meanChars = texts.stream().mapToInt(String::length).average().orElse(0);
        return new EvalRow(result, announced.getEstimator(), referenceReward, winRate.wins(), winRate.ties(),
                winRate.losses(), meanChars, announced.getSha256());
    }

    /**
     * Same seed for every model, so the policy and the reference draw prompt {@code i}'s completion
     * from the same random numbers (common random numbers: equal weights write equal text and tie).
     * The length limit is clamped so the longest prompt still fits the model's context.
     */
    private SamplingConfig sampling(PolicyModel model) {
        int longestPrompt = promptTexts.stream().mapToInt(p -> model.tokenizer().encodePrompt(p).length).max().orElse(0);
        int room = Math.min(config.maxNewTokens(), model.config().maxSeqLen() - longestPrompt);
        if (room < 1) {
            throw new IllegalArgumentException("the longest " + task.name() + " prompt has " + longestPrompt
                    + " tokens and leaves no room in the model's context of " + model.config().maxSeqLen());
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
