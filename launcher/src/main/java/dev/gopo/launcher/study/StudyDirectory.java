package dev.gopo.launcher.study;

import dev.gopo.files.FileTrees;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of a study on disk:
 * <pre>
 *   STUDY/study.properties        the settings; a study resumes only with the same settings
 *   STUDY/cells/&lt;cell id&gt;/         one finished or running cell: run.log, eval.csv, metrics.csv, pipeline.csv,
 *                                 final-policy/ (the last announced weights) and, once finished, cell.done
 *   STUDY/study.csv               every finished cell's eval.csv rows with the cell's columns
 *   STUDY/head-to-head.csv        final policies against GOPO's
 *   STUDY/report/index.html       the report
 * </pre>
 * A cell is finished when its {@code cell.done} marker exists; it is written last, so a crash leaves a cell
 * without it, and that cell is run again from scratch.
 */
final class StudyDirectory {
    private static final Logger log = LoggerFactory.getLogger(StudyDirectory.class);
    static final String DONE = "cell.done";
    static final String FINAL_POLICY = "final-policy";

    private final Path root;

    StudyDirectory(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * Creates the study directory with its settings, or checks that an existing one was made with the same settings.
     *
     * @throws IllegalArgumentException when the directory holds another study (other settings) or files no study made
     */
    void open(Map<String, String> settings) throws IOException {
        Path file = root.resolve(StudyRunner.SETTINGS_FILE);
        if (Files.exists(file)) {
            Properties saved = new Properties();
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                saved.load(reader);
            }
            List<String> differences = new ArrayList<>();
            for (var e : settings.entrySet()) {
                String was = saved.getProperty(e.getKey());
                if (!e.getValue().equals(was)) {
                    differences.add(e.getKey() + " was " + was + ", now " + e.getValue());
                }
            }
            if (!differences.isEmpty()) {
                throw new IllegalArgumentException("--study-dir " + root + " holds a study with other settings (" + String.join("; ", differences)
                        + "): rerun with the same options to resume it, or choose another --study-dir");
            }
            return;
        }
        if (Files.isDirectory(root)) {
            try (Stream<Path> entries = Files.list(root)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--study-dir " + root + " is not empty and holds no " + StudyRunner.SETTINGS_FILE
                            + ": choose another directory or empty it");
                }
            }
        }
        Files.createDirectories(root);
        Properties props = new Properties();
        props.putAll(settings);
        Path tmp = root.resolve(StudyRunner.SETTINGS_FILE + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            props.store(writer, "gopo study settings; a study resumes only with the same settings");
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    Path cellDir(Cell cell) {
        return root.resolve("cells").resolve(cell.id());
    }

    boolean isDone(Cell cell) {
        return Files.exists(cellDir(cell).resolve(DONE));
    }

    /** An empty directory for the cell (what an unfinished earlier attempt left is deleted). */
    Path freshCellDir(Cell cell) throws IOException {
        Path dir = cellDir(cell);
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir);
        return dir;
    }

    /**
     * Keeps the cell's last announced weights as {@code final-policy/}, deletes checkpoints and ranker state, and
     * writes the done marker.
     */
    void finishCell(Cell cell, long lastVersion) throws IOException {
        Path dir = cellDir(cell);
        Path last = dir.resolve("learner").resolve("policies").resolve(String.format("v-%06d", lastVersion));
        if (!Files.isDirectory(last)) {
            throw new IllegalStateException("cell " + cell + " finished but its last policy version " + lastVersion + " is not at " + last);
        }
        Files.move(last, dir.resolve(FINAL_POLICY));
        FileTrees.deleteRecursively(dir.resolve("learner"));
        FileTrees.deleteRecursively(dir.resolve("ranker-state"));
        Files.writeString(dir.resolve(DONE), "finished\n");
    }

    /**
     * Replay cells of one seed must all train on one recording, which lives only on the broker of the process that
     * made it. A seed whose replay cells are only partly done is started over: its done replay cells are forgotten.
     */
    void forgetPartialReplayBlocks(StudySettings settings) throws IOException {
        for (long seed : settings.seeds()) {
            List<Cell> block = settings.cells().stream().filter(c -> c.mode() == StudyMode.REPLAY && c.seed() == seed).toList();
            long done = block.stream().filter(this::isDone).count();
            if (done > 0 && done < block.size()) {
                log.info("seed {}: {} of {} replay cells were done on a recording that is gone; all of them run again on a new one",
                        seed, done, block.size());
                for (Cell cell : block) {
                    FileTrees.deleteRecursively(cellDir(cell));
                }
            }
        }
    }

    /** Rewrites study.csv from the finished cells, in grid order. */
    void writeStudyCsv(List<Cell> cells) throws IOException {
        Map<Cell, Path> evalCsvs = new LinkedHashMap<>();
        for (Cell cell : cells) {
            if (isDone(cell)) {
                evalCsvs.put(cell, cellDir(cell).resolve("eval.csv"));
            }
        }
        StudyCsv.write(evalCsvs, root.resolve(StudyCsv.FILE));
    }

    /** The final policy of every finished cell. */
    Map<Cell, Path> finalPolicies(List<Cell> cells) {
        Map<Cell, Path> out = new LinkedHashMap<>();
        for (Cell cell : cells) {
            if (isDone(cell)) {
                out.put(cell, cellDir(cell).resolve(FINAL_POLICY));
            }
        }
        return out;
    }
}
