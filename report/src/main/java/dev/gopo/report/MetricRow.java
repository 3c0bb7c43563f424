package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One row of a run's {@code metrics.csv}: the learner's metric {@code name} at optimiser step {@code step}. */
record MetricRow(long step, String name, double value) {

    static final List<String> COLUMNS = List.of("step", "policy_version", "timestamp_ms", "name", "value");

    /**
     * Reads {@code metrics.csv}; torn rows are skipped and described in {@code notes}.
     *
     * @throws MalformedCsvException naming the file (and line) for a missing column or a bad value
     */
    static List<MetricRow> read(Path file, List<String> notes) throws IOException {
        CsvTable table = CsvTable.read(file);
        table.requireColumns(table.header(), COLUMNS);
        notes.addAll(table.skipped());
        List<MetricRow> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            rows.add(new MetricRow(row.integer("step"), row.required("name"), row.number("value")));
        }
        return List.copyOf(rows);
    }
}
