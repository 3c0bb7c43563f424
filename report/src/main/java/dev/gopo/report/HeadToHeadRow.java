package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a study's {@code head-to-head.csv}: the final policy of {@code estimator} judged against
 * the final policy of {@code opponent} on {@code prompts} prompts, pooled over {@code seeds} seeds.
 */
record HeadToHeadRow(String mode, String transform, String task, String estimator, String opponent, long wins, long ties,
        long losses, double winRate, double ciLow, double ciHigh, long prompts, long seeds) {

    static final List<String> COLUMNS = List.of("mode", "transform", "task", "estimator", "opponent", "wins", "ties", "losses",
            "win_rate", "ci_low", "ci_high", "prompts", "seeds");

    /**
     * Reads {@code head-to-head.csv}; torn rows are skipped and described in {@code notes}.
     *
     * @throws MalformedCsvException naming the file (and line) for a missing column or a bad value
     */
    static List<HeadToHeadRow> read(Path file, List<String> notes) throws IOException {
        CsvTable table = CsvTable.read(file);
        table.requireColumns(table.header(), COLUMNS);
        notes.addAll(table.skipped());
        List<HeadToHeadRow> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            rows.add(new HeadToHeadRow(row.required("mode"), row.required("transform"), row.required("task"),
                    row.required("estimator"), row.required("opponent"), row.integer("wins"), row.integer("ties"),
                    row.integer("losses"), row.number("win_rate"), row.number("ci_low"), row.number("ci_high"),
                    row.integer("prompts"), row.integer("seeds")));
        }
        return List.copyOf(rows);
    }
}
