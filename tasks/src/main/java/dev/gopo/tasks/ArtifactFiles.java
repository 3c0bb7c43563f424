package dev.gopo.tasks;

import dev.gopo.policy.io.Sha256;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** File hashing and verification of cached artifact directories. */
final class ArtifactFiles {

    private ArtifactFiles() {}

    /** SHA-256 of every regular file directly in {@code dir}, by name; hidden (temporary) files are skipped. */
    static Map<String, String> hashAll(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && !name.startsWith(".")) {
                    out.put(name, Sha256.ofFile(f));
                }
            }
        }
        return out;
    }

    /** Why {@code entry} cannot be used as it is on disk, or empty when every file matches its hash. */
    static Optional<String> problem(Path cacheDir, ArtifactEntry entry) throws IOException {
        Path dir = cacheDir.resolve(entry.dir());
        if (entry.files().isEmpty()) {
            return Optional.of("the manifest lists no files for " + dir);
        }
        for (Map.Entry<String, String> f : new TreeMap<>(entry.files()).entrySet()) {
            Path file = dir.resolve(f.getKey());
            if (!Files.isRegularFile(file)) {
                return Optional.of("file " + file + " is missing");
            }
            String actual = Sha256.ofFile(file);
            if (!actual.equals(f.getValue())) {
                return Optional.of("file " + file + " has sha256 " + actual + " but the manifest says " + f.getValue()
                        + " (modified or corrupt)");
            }
        }
        return Optional.empty();
    }
}
