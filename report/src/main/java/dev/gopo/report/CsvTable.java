package dev.gopo.report;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A results CSV read whole: its header and its rows, each row with the file and line it came from
 * so every later error can name them.
 *
 * <p>The pipeline's writers append a row at a time, so a crash can leave a short (torn) line, and
 * {@code EvalCsv} ends such a line before appending the next row: a row with <em>fewer</em> fields
 * than the header is skipped wherever it is, with a note. A row with <em>more</em> fields is not a
 * torn write and fails the read. The header is read as a plain record, not by commons-csv's header
 * support, because {@code study.csv} repeats the {@code estimator} column (its own and eval.csv's).
 */
final class CsvTable {
    private static final Logger log = LoggerFactory.getLogger(CsvTable.class);
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(true).build();

    private final Path file;
    private final List<String> header;
    private final List<Row> rows;
    private final List<String> skipped;

    private CsvTable(Path file, List<String> header, List<Row> rows, List<String> skipped) {
        this.file = file;
        this.header = header;
        this.rows = rows;
        this.skipped = skipped;
    }

    /**
     * Reads {@code file}.
     *
     * @throws MalformedCsvException when the file has no header, a row has more fields than the header,
     *     or commons-csv cannot parse it (an unclosed quote)
     */
    static CsvTable read(Path file) throws IOException {
        List<String> header = null;
        List<Row> rows = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.parse(reader)) {
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                // The first record is line 1; without quoted line breaks, record n is line n.
                long line = record.getRecordNumber();
                List<String> values = record.toList();
                if (header == null) {
                    header = values.stream().map(String::strip).toList();
                    continue;
                }
                if (values.size() < header.size()) {
                    String note = file + " line " + line + ": " + values.size() + " fields instead of " + header.size()
                            + " (a torn write?); the row is skipped";
                    log.warn(note);
                    skipped.add(note);
                    continue;
                }
                if (values.size() > header.size()) {
                    throw new MalformedCsvException(file, line, values.size() + " fields but the header has " + header.size());
                }
                rows.add(new Row(file, line, header, values, 0));
            }
        } catch (UncheckedIOException e) {
            throw new MalformedCsvException(file, 0, "not readable as CSV: " + e.getCause().getMessage());
        }
        if (header == null) {
            throw new MalformedCsvException(file, 0, "empty file, expected a header line");
        }
        return new CsvTable(file, header, List.copyOf(rows), List.copyOf(skipped));
    }

    Path file() {
        return file;
    }

    List<String> header() {
        return header;
    }

    List<Row> rows() {
        return rows;
    }

    /** One note per skipped (torn) row, naming the file and line. */
    List<String> skipped() {
        return skipped;
    }

    /** @throws MalformedCsvException naming the file and the missing columns when {@code columns} are not all in {@code names} */
    void requireColumns(List<String> names, List<String> columns) throws MalformedCsvException {
        List<String> missing = columns.stream().filter(c -> !names.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new MalformedCsvException(file, 0, "missing column(s) " + missing + "; the header is " + header);
        }
    }

    /**
     * One data row. Columns are looked up by name among the header's columns from {@code first} on,
     * the first of equal names winning; {@link #from} gives the view of a later block of columns.
     */
    static final class Row {
        private final Path file;
        private final long line;
        private final List<String> header;
        private final List<String> values;
        private final int first;
        private final Map<String, Integer> index = new HashMap<>();

        private Row(Path file, long line, List<String> header, List<String> values, int first) {
            this.file = file;
            this.line = line;
            this.header = header;
            this.values = values;
            this.first = first;
            for (int i = header.size() - 1; i >= first; i--) {
                index.put(header.get(i), i);
            }
        }

        long line() {
            return line;
        }

        /** The same row seen from column {@code column} on (0-based). */
        Row from(int column) {
            return new Row(file, line, header, values, first + column);
        }

        /** The stripped text of {@code column}, possibly empty. */
        String text(String column) throws MalformedCsvException {
            Integer i = index.get(column);
            if (i == null) {
                throw new MalformedCsvException(file, line, "no column '" + column + "'");
            }
            return values.get(i).strip();
        }

        /** The text of {@code column}, which must not be empty. */
        String required(String column) throws MalformedCsvException {
            String text = text(column);
            if (text.isEmpty()) {
                throw new MalformedCsvException(file, line, "column '" + column + "' is empty");
            }
            return text;
        }

        /** The number in {@code column}; {@code NaN} when the field is empty. */
        double number(String column) throws MalformedCsvException {
            String text = text(column);
            if (text.isEmpty()) {
                return Double.NaN;
            }
            try {
                return Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new MalformedCsvException(file, line, "column '" + column + "' is '" + text + "', not a number");
            }
        }

        /** The whole number in {@code column}, which must not be empty. */
        long integer(String column) throws MalformedCsvException {
            String text = required(column);
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new MalformedCsvException(file, line, "column '" + column + "' is '" + text + "', not a whole number");
            }
        }
    }
}
