package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a run's {@code pipeline.csv}: a {@code key} and its {@code value} in a {@code section}.
 * The value stays text because the {@code run} section holds free text (an estimator name); in the
 * other known sections it must be a number, which {@link #read} checks.
 */
record PipelineRow(String section, String key, String value) {

    static final List<String> COLUMNS = List.of("section", "key", "value");
    static final String GENERATOR_TOKENS_PER_S = "generator_tokens_per_s";
    static final String RANKER_LATENCY_MS = "ranker_latency_ms";
    static final String DEAD_LETTERS = "dead_letters";
    static final String RUN = "run";
    private static final List<String> NUMERIC_SECTIONS = List.of(GENERATOR_TOKENS_PER_S, RANKER_LATENCY_MS, DEAD_LETTERS);

    /** The value as a number; only for rows of the numeric sections, where {@link #read} checked it. */
    double number() {
        return Double.parseDouble(value);
    }

    /**
     * Reads {@code pipeline.csv}; torn rows are skipped and described in {@code notes}.
     *
     * @throws MalformedCsvException naming the file (and line) for a missing column or a non-number in a numeric section
     */
    static List<PipelineRow> read(Path file, List<String> notes) throws IOException {
        CsvTable table = CsvTable.read(file);
        table.requireColumns(table.header(), COLUMNS);
        notes.addAll(table.skipped());
        List<PipelineRow> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            String section = row.required("section");
            if (NUMERIC_SECTIONS.contains(section)) {
                row.number("value");
            }
            rows.add(new PipelineRow(section, row.required("key"), row.text("value")));
        }
        return List.copyOf(rows);
    }
}
