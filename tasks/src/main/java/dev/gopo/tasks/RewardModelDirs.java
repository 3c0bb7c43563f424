package dev.gopo.tasks;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reward-model directories by task name, as given with repeatable {@code --reward-model TASK=DIR}
 * options. Task names are canonicalised through {@link TaskRegistry}, so a typo fails at start-up
 * instead of when the first completion of that task arrives.
 */
public final class RewardModelDirs {
    private RewardModelDirs() {
    }

    /**
     * Parses {@code TASK=DIR} specs.
     *
     * @throws IllegalArgumentException naming the bad spec and the expected form
     */
    public static Map<String, Path> parse(List<String> specs) {
        Map<String, Path> dirs = new LinkedHashMap<>();
        if (specs == null) {
            return Map.of();
        }
        for (String spec : specs) {
            int eq = spec == null ? -1 : spec.indexOf('=');
            if (eq <= 0 || eq == spec.length() - 1) {
                throw new IllegalArgumentException("--reward-model '" + spec + "' is not TASK=DIR, e.g. --reward-model summarise="
                        + "gopo-work/cache/reward-models/summarise; known tasks are " + TaskRegistry.names());
            }
            Task task = TaskRegistry.byName(spec.substring(0, eq));
            if (dirs.put(task.name(), Path.of(spec.substring(eq + 1).strip())) != null) {
                throw new IllegalArgumentException("--reward-model is given twice for task '" + task.name() + "': give it once per task");
            }
        }
        return Collections.unmodifiableMap(dirs);
    }
}
