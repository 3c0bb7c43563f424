package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a run's {@code eval.csv} (the evaluator's file): a task at a policy version. Measures
 * whose field is empty are {@code NaN}; only the columns the report shows are kept.
 */
record EvalRow(String task, long policyVersion, long step, String estimator, double validationReward, double referenceReward,
        double goldQuality, double referenceGoldQuality, double winRate, double winRateCiLow, double winRateCiHigh) {

    /** The evaluator's header, every column of which must be present (in any order). */
    static final List<String> COLUMNS = List.of("task", "policy_version", "step", "estimator", "num_prompts",
            "samples_per_prompt", "validation_reward", "reference_reward", "gold_quality", "reference_gold_quality",
            "win_rate", "win_rate_ci_low", "win_rate_ci_high", "wins", "ties", "losses", "mean_completion_chars",
            "weights_sha256", "evaluated_at_ms");

    /**
     * Reads {@code eval.csv}; torn rows are skipped and described in {@code notes}.
     *
     * @throws MalformedCsvException naming the file (and line) for a missing column or a bad value
     */
    static List<EvalRow> read(Path file, List<String> notes) throws IOException {
        CsvTable table = CsvTable.read(file);
        table.requireColumns(table.header(), COLUMNS);
        notes.addAll(table.skipped());
        List<EvalRow> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            rows.add(of(row));
        }
        return List.copyOf(rows);
    }

    /** The eval columns of {@code row} (for study.csv, its view from the first eval column). */
    static EvalRow of(CsvTable.Row row) throws MalformedCsvException {
        return new EvalRow(row.required("task"), row.integer("policy_version"), row.integer("step"), row.text("estimator"),
                row.number("validation_reward"), row.number("reference_reward"), row.number("gold_quality"),
                row.number("reference_gold_quality"), row.number("win_rate"), row.number("win_rate_ci_low"),
                row.number("win_rate_ci_high"));
    }
}
