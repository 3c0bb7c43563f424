package dev.gopo.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Turns a run's or a study's saved results (CSV files) into one HTML page with PNG charts next to
 * it, {@code DIR/report/index.html}, to open from disk: no server, no network, no JavaScript.
 */
public final class Report {
    /** The output directory inside the run or study directory. */
    public static final String OUTPUT_DIR = "report";
    public static final String INDEX = "index.html";

    private Report() {
    }

    /**
     * Writes DIR/report/index.html and DIR/report/*.png from DIR's saved results; returns the index.html path.
     * DIR is a study directory when DIR/study.csv exists, else a run directory (DIR/eval.csv must exist).
     * The PNG files of an earlier report in DIR/report are replaced.
     *
     * @throws IllegalArgumentException when DIR does not exist or holds neither study.csv nor eval.csv
     * @throws MalformedCsvException    naming the file and line when a results file cannot be used
     * @throws IOException              when a file cannot be read or written
     */
    public static Path write(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory: give a run directory (with " + RunPage.EVAL_CSV
                    + ") or a study directory (with " + StudyPage.STUDY_CSV + ")");
        }
        boolean study = Files.exists(dir.resolve(StudyPage.STUDY_CSV));
        if (!study && !Files.exists(dir.resolve(RunPage.EVAL_CSV))) {
            throw new IllegalArgumentException(dir + " holds no saved results: a run directory has " + RunPage.EVAL_CSV
                    + " (written by the evaluator), a study directory has " + StudyPage.STUDY_CSV);
        }
        // XChart draws with AWT; a report never needs a display, and without this a machine with no X server fails.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
        Path out = dir.resolve(OUTPUT_DIR);
        Files.createDirectories(out);
        deleteOldImages(out);
        ImageFiles images = new ImageFiles(out);
        HtmlPage page = study ? StudyPage.build(dir, images) : RunPage.build(dir, images);
        Path index = out.resolve(INDEX);
        Path partial = out.resolve(INDEX + ".partial");
        Files.writeString(partial, page.render(), StandardCharsets.UTF_8);
        Files.move(partial, index, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return index;
    }

    /** The charts of an earlier report, which may name cells this one no longer has. */
    private static void deleteOldImages(Path out) throws IOException {
        try (DirectoryStream<Path> pngs = Files.newDirectoryStream(out, "*.png")) {
            for (Path png : pngs) {
                Files.delete(png);
            }
        }
    }
}
