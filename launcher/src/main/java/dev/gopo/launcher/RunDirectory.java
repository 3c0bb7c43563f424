package dev.gopo.launcher;

import dev.gopo.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * The work directory of one {@code gopo run}: broker data, ranker state, checkpoints, weights and
 * the evaluation CSV of that run only. Every run is a new experiment, so a directory left by an
 * earlier run (recognised by its {@link #MARKER} file) is cleared first; a checkpoint left there
 * would otherwise make the learner resume at its last step, and the CSV would mix two runs. A
 * non-empty directory without the marker is not ours and is never deleted.
 */
public final class RunDirectory {
    static final String MARKER = ".gopo-run";

    private RunDirectory() {
    }

    /**
     * Makes {@code dir} an empty run directory.
     *
     * @throws IllegalArgumentException when {@code dir} holds files that no {@code gopo run} made
     */
    public static void prepareFresh(Path dir) throws IOException {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(MARKER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--work-dir " + dir + " is not empty and was not made by gopo run or gopo soak: "
                            + "choose another directory or empty it");
                }
            }
        }
        FileTrees.deleteRecursively(dir);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "made by gopo run; cleared at the start of the next run\n");
    }
}
