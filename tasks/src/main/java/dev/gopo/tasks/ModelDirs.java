package dev.gopo.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the reference policy and the reward models are: the prepare cache ({@code gopo prepare},
 * read through {@link PreparedArtifacts}, which verifies every file's hash), with explicit
 * directories overriding single pieces. When the explicit directories cover everything that is
 * needed, the cache is not opened at all, so a worker can run without one.
 *
 * @param referencePolicy reference policy directory, or null when not needed
 * @param tasks           canonical names of the tasks to work on
 * @param rewardModels    reward-model directory per task in {@code tasks}
 */
public record ModelDirs(Path referencePolicy, List<String> tasks, Map<String, Path> rewardModels) {

    public ModelDirs {
        tasks = List.copyOf(tasks);
        rewardModels = Map.copyOf(rewardModels);
    }

    /**
     * Resolves the directories.
     *
     * @param cacheDir        the prepare cache, opened only when the explicit directories do not cover the need
     * @param referencePolicy explicit reference policy, or null
     * @param tasks           requested tasks, or null/empty for the default: every task of the cache, or
     *                        without a cache every task with an explicit reward model ({@code needsReference}
     *                        false) or every built-in task ({@code needsReference} true)
     * @param explicitModels  explicit reward models by canonical task name (see {@link RewardModelDirs})
     * @param needsReference  whether a reference policy is required
     * @throws IOException when the cache is needed but missing or not intact; the message says how to fix it
     */
    public static ModelDirs resolve(Path cacheDir, Path referencePolicy, List<String> tasks, Map<String, Path> explicitModels,
                                    boolean needsReference) throws IOException {
        List<String> requested = tasks == null || tasks.isEmpty() ? null
                : TaskRegistry.byNames(tasks.stream().map(String::strip).toList()).stream().map(Task::name).toList();
        List<String> withoutCache = requested != null ? requested
                : needsReference ? TaskRegistry.names() : List.copyOf(explicitModels.keySet());
        boolean covered = (!needsReference || referencePolicy != null) && !withoutCache.isEmpty()
                && explicitModels.keySet().containsAll(withoutCache);
        if (covered) {
            return new ModelDirs(referencePolicy, withoutCache, pick(explicitModels, withoutCache));
        }
        PreparedArtifacts cache;
        try {
            cache = PreparedArtifacts.open(cacheDir);
        } catch (IOException e) {
            throw new IOException(e.getMessage() + "; or give the models explicitly: "
                    + (needsReference ? "--reference-policy DIR and " : "") + "--reward-model TASK=DIR per task", e);
        }
        List<String> chosen = requested != null ? requested : cache.tasks();
        Map<String, Path> models = new LinkedHashMap<>();
        for (String task : chosen) {
            Path explicit = explicitModels.get(task);
            models.put(task, explicit != null ? explicit : cache.rewardModelDir(task));
        }
        Path reference = referencePolicy != null ? referencePolicy : needsReference ? cache.referencePolicyDir() : null;
        return new ModelDirs(reference, chosen, models);
    }

    private static Map<String, Path> pick(Map<String, Path> models, List<String> tasks) {
        Map<String, Path> out = new LinkedHashMap<>();
        tasks.forEach(t -> out.put(t, models.get(t)));
        return out;
    }
}
