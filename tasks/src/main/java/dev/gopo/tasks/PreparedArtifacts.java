package dev.gopo.tasks;

import dev.gopo.policy.PolicyModel;
import dev.gopo.tasks.reward.RewardModel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to a cache built by {@code gopo prepare} ({@link Prepare}), for the generator,
 * learner and evaluator workers. Opening verifies the SHA-256 of every file against the manifest
 * and fails if one differs: a worker never silently uses a tampered or half-written model (run
 * {@code gopo prepare} again, which rebuilds what does not match). Immutable.
 */
public final class PreparedArtifacts {

    private final Path cacheDir;
    private final PrepareManifest manifest;

    private PreparedArtifacts(Path cacheDir, PrepareManifest manifest) {
        this.cacheDir = cacheDir;
        this.manifest = manifest;
    }

    /**
     * Opens and verifies the cache in {@code cacheDir}.
     *
     * @throws IOException when the manifest is missing or unreadable, or a file is missing or
     *     does not match its hash; the message says which and how to fix it
     */
    public static PreparedArtifacts open(Path cacheDir) throws IOException {
        PrepareManifest manifest;
        try {
            manifest = PrepareManifest.read(cacheDir);
        } catch (IOException e) {
            throw new IOException("no usable prepare cache in " + cacheDir.toAbsolutePath() + " (" + e.getMessage()
                    + "): run `gopo prepare --cache-dir " + cacheDir + "` first", e);
        }
        check(cacheDir, manifest.referencePolicy());
        for (ArtifactEntry e : manifest.rewardModels().values()) {
            check(cacheDir, e);
        }
        return new PreparedArtifacts(cacheDir, manifest);
    }

    /** Directory of the supervised reference policy, loadable with {@link PolicyModel#load(Path)}. */
    public Path referencePolicyDir() {
        return cacheDir.resolve(manifest.referencePolicy().dir());
    }

    /** SHA-256 of the reference policy's weights: its version identity. */
    public String referencePolicySha256() {
        return manifest.referencePolicy().weightsSha256();
    }

    /** Loads the reference policy, checking its weights hash. The caller closes it. */
    public PolicyModel loadReferencePolicy() throws IOException {
        return PolicyModel.load(referencePolicyDir(), referencePolicySha256());
    }

    /** Names of the tasks that have a reward model here, in prepare order. */
    public List<String> tasks() {
        return manifest.settings().tasks();
    }

    /**
     * Directory of the reward model of {@code task}.
     *
     * @throws IllegalArgumentException when this cache has no reward model for the task
     */
    public Path rewardModelDir(String task) {
        return cacheDir.resolve(entry(task).dir());
    }

    /** The reward model directory of every task, in prepare order: what workers take as their reward models. */
    public Map<String, Path> rewardModelDirs() {
        Map<String, Path> dirs = new LinkedHashMap<>();
        tasks().forEach(task -> dirs.put(task, rewardModelDir(task)));
        return Collections.unmodifiableMap(dirs);
    }

    /** Loads the reward model of {@code task}, checking its weights hash. Each call loads a new instance; the caller closes it. */
    public RewardModel rewardModel(String task) throws IOException {
        return RewardModel.load(rewardModelDir(task), entry(task).weightsSha256());
    }

    /** Loads the reward model of {@code task}; see {@link #rewardModel(String)}. */
    public RewardModel rewardModel(Task task) throws IOException {
        return rewardModel(task.name());
    }

    /** Held-out pairwise accuracy (against the raters' labels) measured when the reward model was trained. */
    public double rewardModelAccuracy(String task) {
        return entry(task).metrics().getOrDefault(Prepare.METRIC_HELD_OUT_ACCURACY, Double.NaN);
    }

    public Path cacheDir() {
        return cacheDir;
    }

    public PrepareManifest manifest() {
        return manifest;
    }

    private ArtifactEntry entry(String task) {
        ArtifactEntry e = manifest.rewardModels().get(TaskRegistry.byName(task).name());
        if (e == null) {
            throw new IllegalArgumentException("the cache in " + cacheDir + " has no reward model for task '" + task
                    + "' (it has " + manifest.rewardModels().keySet() + "): run `gopo prepare --tasks ...` with it");
        }
        return e;
    }

    private static void check(Path cacheDir, ArtifactEntry entry) throws IOException {
        Optional<String> problem = ArtifactFiles.problem(cacheDir, entry);
        if (problem.isPresent()) {
            throw new IOException("prepare cache " + cacheDir.toAbsolutePath() + " is not intact: " + problem.get()
                    + ". Run `gopo prepare --cache-dir " + cacheDir + "` to rebuild it");
        }
    }
}
