package dev.gopo.tasks;

import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.io.Sha256;
import dev.gopo.tasks.reward.RewardModel;
import dev.gopo.tasks.reward.RewardModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Tiny saved models and a prepare cache, for the tests of every module that loads trained models
 * (shipped as this module's test jar).
 */
public final class TaskFixtures {
    private TaskFixtures() {
    }

    /** Saves a tiny CPU policy with {@code seed} into {@code dir}; returns its SHA-256. */
    public static String tinyPolicy(Path dir, long seed) throws IOException {
        try (PolicyModel model = PolicyModel.create(PolicyConfig.tiny().withDevice("cpu").withSeed(seed), Tokenizer.ascii())) {
            return model.save(dir);
        }
    }

    /** Saves an untrained tiny reward model into {@code dir}. */
    public static Path tinyRewardModel(Path dir) throws IOException {
        try (RewardModel model = RewardModel.create(RewardModelConfig.tiny())) {
            model.save(dir);
        }
        return dir;
    }

    /**
     * A prepare cache as {@code gopo prepare} lays it out (manifest with every file's hash), holding a
     * tiny reference policy and one tiny reward model per task, so {@code PreparedArtifacts.open} accepts it.
     */
    public static Path tinyCache(Path cacheDir, List<String> tasks) throws IOException {
        String policySha = tinyPolicy(cacheDir.resolve("reference-policy"), 42);
        PrepareSettings settings = PrepareSettings.defaults().withTasks(tasks).withModelSize(ModelSize.TINY);
        Map<String, ArtifactEntry> rewardModels = new LinkedHashMap<>();
        for (String task : tasks) {
            String dir = "reward-models/" + task;
            tinyRewardModel(cacheDir.resolve(dir));
            rewardModels.put(task, entry(cacheDir, dir, settings.rewardModelKey(task), RewardModel.WEIGHTS_FILE));
        }
        ArtifactEntry reference = entry(cacheDir, "reference-policy", settings.policyKey(), PolicyModel.WEIGHTS_FILE);
        new PrepareManifest(PrepareManifest.FORMAT, settings, reference, rewardModels).write(cacheDir);
        if (!reference.weightsSha256().equals(policySha)) {
            throw new IllegalStateException("the cache fixture hashed the reference weights differently from save()");
        }
        return cacheDir;
    }

    private static ArtifactEntry entry(Path cacheDir, String dir, String key, String weightsFile) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(cacheDir.resolve(dir))) {
            for (Path f : list.toList()) {
                files.put(f.getFileName().toString(), Sha256.ofFile(f));
            }
        }
        return new ArtifactEntry(dir, key, files.get(weightsFile), files, 0.0, Map.of());
    }
}
