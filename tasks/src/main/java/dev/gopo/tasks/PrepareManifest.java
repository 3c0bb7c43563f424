package dev.gopo.tasks;

import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code manifest.json} of a prepare cache: the settings, and per artifact its settings key,
 * file hashes and measurements. Written last and atomically, so a crash mid-way leaves the old
 * manifest, whose keys or hashes then no longer match and trigger a rebuild.
 *
 * @param format          always {@link #FORMAT}
 * @param settings        the settings of the last successful prepare
 * @param referencePolicy the supervised reference policy
 * @param rewardModels    one reward model per task, by task name
 */
public record PrepareManifest(String format, PrepareSettings settings, ArtifactEntry referencePolicy,
                              Map<String, ArtifactEntry> rewardModels) {

    public static final String FORMAT = "gopo-prepare-v1";
    public static final String FILE = "manifest.json";

    public PrepareManifest {
        // Keeps the prepare order of the tasks.
        rewardModels = Collections.unmodifiableMap(new LinkedHashMap<>(rewardModels));
    }

    /** Reads {@code <cacheDir>/manifest.json}. */
    public static PrepareManifest read(Path cacheDir) throws IOException {
        PrepareManifest m = Json.read(cacheDir.resolve(FILE), PrepareManifest.class);
        if (!FORMAT.equals(m.format())) {
            throw new IOException(cacheDir.resolve(FILE) + " has format '" + m.format() + "', expected '" + FORMAT
                    + "': run `gopo prepare` again");
        }
        return m;
    }

    /** Writes {@code <cacheDir>/manifest.json} atomically. */
    public void write(Path cacheDir) throws IOException {
        Json.write(cacheDir.resolve(FILE), this);
    }
}
