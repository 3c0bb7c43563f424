package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of a study's {@code study.csv}: the evaluation of one cell (mode, estimator, reward
 * transform, seed) on one task at one policy version.
 *
 * @param mode      {@code online} or {@code replay}
 * @param transform the reward transform's label, e.g. {@code identity} or {@code power:3}
 */
record StudyRow(String mode, String estimator, String transform, long seed, EvalRow eval) {

    /** The cell columns, which come first; every {@link EvalRow#COLUMNS eval.csv column} follows. */
    static final List<String> CELL_COLUMNS = List.of("mode", "estimator", "transform", "seed");

    /** The transform every other transform is compared with in the invariance section. */
    static final String IDENTITY = "identity";

    /**
     * Reads {@code study.csv}; torn rows are skipped and described in {@code notes}.
     *
     * @throws MalformedCsvException naming the file (and line) for a wrong header or a bad value
     */
    static List<StudyRow> read(Path file, List<String> notes) throws IOException {
        CsvTable table = CsvTable.read(file);
        List<String> header = table.header();
        int cells = CELL_COLUMNS.size();
        if (header.size() < cells || !header.subList(0, cells).equals(CELL_COLUMNS)) {
            throw new MalformedCsvException(file, 0, "the header must start with " + String.join(",", CELL_COLUMNS)
                    + " but is " + header);
        }
        // eval.csv's own estimator column repeats the cell's, so the eval columns are looked up after the cell columns.
        table.requireColumns(header.subList(cells, header.size()), EvalRow.COLUMNS);
        notes.addAll(table.skipped());
        List<StudyRow> rows = new ArrayList<>();
        for (CsvTable.Row row : table.rows()) {
            rows.add(new StudyRow(row.required("mode"), row.required("estimator"), row.required("transform"),
                    row.integer("seed"), EvalRow.of(row.from(cells))));
        }
        return List.copyOf(rows);
    }
}
