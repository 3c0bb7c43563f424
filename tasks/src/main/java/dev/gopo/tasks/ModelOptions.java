package dev.gopo.tasks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Command-line options that locate trained models, shared by {@code gopo evaluator} and
 * {@code gopo reward-producer}: the prepare cache, and reward-model directories that override it.
 */
public final class ModelOptions {

    @Option(names = "--cache-dir", defaultValue = "gopo-work/cache", paramLabel = "DIR",
            description = "Prepare cache ('gopo prepare') whose models are used where no explicit directory is given; opened "
                    + "only when needed. Default: ${DEFAULT-VALUE}")
    Path cacheDir;

    @Option(names = "--reward-model", paramLabel = "TASK=DIR",
            description = "Reward-model directory of a task; repeatable. Default: the cache's reward model of each task")
    List<String> rewardModels = new ArrayList<>();

    /**
     * The explicit {@code --reward-model} directories by canonical task name.
     *
     * @throws IllegalArgumentException for a malformed value or an unknown task
     */
    public Map<String, Path> explicitRewardModels() {
        return RewardModelDirs.parse(rewardModels);
    }

    /**
     * The model directories, from the explicit options or the prepare cache ({@link ModelDirs#resolve}).
     *
     * @throws IOException when the cache is needed but missing or not intact
     */
    public ModelDirs resolve(Path referencePolicy, List<String> tasks, boolean needsReference) throws IOException {
        return ModelDirs.resolve(cacheDir, referencePolicy, tasks, explicitRewardModels(), needsReference);
    }
}
