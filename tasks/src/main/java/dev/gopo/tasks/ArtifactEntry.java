package dev.gopo.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One cached artifact in the prepare manifest.
 *
 * @param dir           directory relative to the cache directory
 * @param key           settings hash it was built for (see {@link PrepareSettings})
 * @param weightsSha256 SHA-256 of its weights file
 * @param files         SHA-256 of every file of the directory, by file name
 * @param trainSeconds  wall-clock time it took to build
 * @param metrics       what was measured when it was built (loss, accuracy, win rate ...)
 */
public record ArtifactEntry(String dir, String key, String weightsSha256, Map<String, String> files,
                            double trainSeconds, Map<String, Double> metrics) {

    public ArtifactEntry {
        // Sorted and insertion order respectively, so that the manifest reads the same every time.
        files = Collections.unmodifiableMap(new TreeMap<>(files));
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }
}
