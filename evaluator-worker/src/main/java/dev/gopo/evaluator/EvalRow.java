package dev.gopo.evaluator;

import dev.gopo.avro.EvaluationResult;
import java.util.ArrayList;
import java.util.List;

/**
 * One evaluation of one policy version on one task: the {@link EvaluationResult} published on
 * eval-results plus details that only go to the CSV. The hidden gold qualities come from the
 * published record (null there in records written before they existed, an empty field here). The detail fields are {@code null} for rows
 * rebuilt from eval-results (see {@link #of(EvaluationResult)}), which does not carry them.
 *
 * @param result          the published record
 * @param estimator       advantage estimator the version was trained with (from the announcement)
 * @param referenceReward mean reward-model score of the reference policy's completions on the same prompts
 * @param wins            comparisons (prompt, sample) where the judge preferred the policy's completion
 * @param ties            comparisons judged equal (count half in the win rate)
 * @param losses          comparisons where the judge preferred the reference's completion
 * @param meanChars       mean length of the policy's completions in characters
 * @param sha256          announced SHA-256 of the evaluated weights
 */
public record EvalRow(EvaluationResult result, String estimator, Double referenceReward, Integer wins, Integer ties,
                      Integer losses, Double meanChars, String sha256) {

    /** CSV header, in column order. */
    public static final List<String> COLUMNS = List.of("task", "policy_version", "step", "estimator", "num_prompts",
            "samples_per_prompt", "validation_reward", "reference_reward", "gold_quality", "reference_gold_quality",
            "win_rate", "win_rate_ci_low", "win_rate_ci_high", "wins", "ties", "losses", "mean_completion_chars",
            "weights_sha256", "evaluated_at_ms");

    /** A row rebuilt from a record on eval-results; the CSV-only columns stay empty. */
    public static EvalRow of(EvaluationResult result) {
        return new EvalRow(result, null, null, null, null, null, null, null);
    }

    public String key() {
        return EvaluatorConfig.resultKey(result.getTask(), result.getPolicyVersion());
    }

    /** Values in {@link #COLUMNS} order; {@code null} is written as an empty field. */
    List<Object> values() {
        List<Object> values = new ArrayList<>(COLUMNS.size());
        values.add(result.getTask());
        values.add(result.getPolicyVersion());
        values.add(result.getStep());
        values.add(estimator);
        values.add(result.getNumPrompts());
        values.add(result.getSamplesPerPrompt());
        values.add(result.getValidationReward());
        values.add(referenceReward);
        values.add(result.getGoldQuality());
        values.add(result.getReferenceGoldQuality());
        values.add(result.getWinRate());
        values.add(result.getWinRateCiLow());
        values.add(result.getWinRateCiHigh());
        values.add(wins);
        values.add(ties);
        values.add(losses);
        values.add(meanChars);
        values.add(sha256);
        values.add(result.getEvaluatedAtMs());
        return values;
    }
}
