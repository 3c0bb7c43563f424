package dev.gopo.report;

import java.io.IOException;
import java.nio.file.Path;

/** A results CSV the report cannot use: a missing column, a bad number, a row with too many fields. */
public final class MalformedCsvException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param line the 1-based line of the file, 0 when the problem is the whole file (its header) */
    MalformedCsvException(Path file, long line, String problem) {
        super(line > 0 ? file + " line " + line + ": " + problem : file + ": " + problem);
    }
}
