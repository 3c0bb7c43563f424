package dev.gopo.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Operations on whole directory trees. The one recursive delete of the project: it lives in this
 * dependency-free module so that the embedded infrastructure, the ranker and the modules above the
 * policy (tasks, learner, launcher) share it without any of them pulling in the others' libraries.
 */
public final class FileTrees {
    private FileTrees() {
    }

    /**
     * Deletes {@code path} and everything under it, children before their directory; does nothing
     * when it does not exist. A file that disappears while the tree is being deleted (another process
     * cleaning up the same directory) is not an error.
     *
     * @throws IOException when an entry cannot be deleted (permissions, a file still open on some systems)
     */
    public static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> all = Files.walk(path)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
