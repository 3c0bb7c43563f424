package dev.gopo.launcher.study;

import dev.gopo.evaluator.EvalRow;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * {@code study.csv}: every finished cell's {@code eval.csv} rows, each prefixed with the cell
 * ({@code mode,estimator,transform,seed}), in grid order. Rewritten from the cells after each cell, so it
 * always matches what is on disk; {@code gopo report} draws the study from it.
 */
final class StudyCsv {
    static final String FILE = "study.csv";
    static final List<String> CELL_COLUMNS = List.of("mode", "estimator", "transform", "seed");

    private StudyCsv() {
    }

    /** Rewrites {@code file} from the {@code eval.csv} of each cell in {@code cellEvalCsvs} (grid order). */
    static void write(Map<Cell, Path> cellEvalCsvs, Path file) throws IOException {
        List<String> header = new ArrayList<>(CELL_COLUMNS);
        header.addAll(EvalRow.COLUMNS);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
             CSVPrinter out = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
            out.printRecord(header);
            for (var entry : cellEvalCsvs.entrySet()) {
                Cell cell = entry.getKey();
                for (CSVRecord row : read(entry.getValue())) {
                    List<String> values = new ArrayList<>(List.of(cell.mode().label(), cell.estimator().name(), cell.transform(),
                            Long.toString(cell.seed())));
                    for (String column : EvalRow.COLUMNS) {
                        values.add(row.get(column));
                    }
                    out.printRecord(values);
                }
            }
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static List<CSVRecord> read(Path evalCsv) throws IOException {
        try (Reader reader = Files.newBufferedReader(evalCsv, StandardCharsets.UTF_8);
             CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
            if (!parser.getHeaderNames().equals(EvalRow.COLUMNS)) {
                throw new IllegalStateException(evalCsv + " has columns " + parser.getHeaderNames() + ", not the evaluator's "
                        + EvalRow.COLUMNS);
            }
            return parser.getRecords().stream().filter(r -> r.size() == EvalRow.COLUMNS.size()).toList();
        }
    }
}
