package dev.gopo.evaluator;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator's CSV file: a header once, then one row per (task, policy version), appended as
 * each evaluation finishes, so a plot can be redrawn at any time. The file is reopened for every
 * row (a few per version), so a crash loses at most the row being written; a torn last line is
 * skipped with a warning when the file is read back.
 */
public final class EvalCsv {
    private static final Logger log = LoggerFactory.getLogger(EvalCsv.class);
    private static final CSVFormat WRITE = CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build();
    private static final CSVFormat READ = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();

    private final Path file;

    public EvalCsv(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /**
     * Keys ({@code task:version}) of the rows already in the file; empty when there is no file.
     *
     * @throws IOException when the file cannot be read
     * @throws IllegalStateException when the file has another header (another tool's CSV, or an
     *     older column layout), saying how to fix it
     */
    public Set<String> keys() throws IOException {
        Set<String> keys = new LinkedHashSet<>();
        if (!Files.exists(file) || Files.size(file) == 0) {
            return keys;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = READ.parse(reader)) {
            List<String> header = parser.getHeaderNames();
            if (!header.equals(EvalRow.COLUMNS)) {
                throw new IllegalStateException(file + " has columns " + header + " but the evaluator writes "
                        + EvalRow.COLUMNS + ": move the file away or pass another --out");
            }
            for (CSVRecord row : parser) {
                if (row.size() != EvalRow.COLUMNS.size()) {
                    log.warn("{} line {}: {} fields instead of {} (torn write?); the row is ignored", file,
                            row.getRecordNumber() + 1, row.size(), EvalRow.COLUMNS.size());
                    continue;
                }
                try {
                    keys.add(EvaluatorConfig.resultKey(row.get("task"), Long.parseLong(row.get("policy_version"))));
                } catch (NumberFormatException e) {
                    log.warn("{} line {}: policy_version '{}' is not a number; the row is ignored", file,
                            row.getRecordNumber() + 1, row.get("policy_version"));
                }
            }
        }
        return keys;
    }

    /** Appends one row, writing the header first when the file is new or empty. */
    public void append(EvalRow row) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        boolean needsHeader = !Files.exists(file) || Files.size(file) == 0;
        boolean tornLastLine = !needsHeader && !endsWithNewline();
        try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
             CSVPrinter printer = new CSVPrinter(writer, WRITE)) {
            if (needsHeader) {
                printer.printRecord(EvalRow.COLUMNS);
            }
            if (tornLastLine) {
                // End the torn line so the new row does not merge into it; keys() skips the torn one.
                writer.write('\n');
            }
            printer.printRecord(row.values());
        }
    }

    private boolean endsWithNewline() throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer last = ByteBuffer.allocate(1);
            channel.read(last, channel.size() - 1);
            return last.get(0) == '\n';
        }
    }
}
