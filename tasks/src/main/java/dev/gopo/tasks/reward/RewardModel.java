package dev.gopo.tasks.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gopo.policy.io.Sha256;
import dev.gopo.policy.io.HashedWeights;
import dev.gopo.policy.io.TensorFile;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A learned reward model: {@code r(prompt, completion)} is a real number whose <em>ordering</em>
 * reflects the preferences it was trained on (Bradley-Terry, see {@link RewardModelTrainer}) and
 * whose scale and offset are arbitrary, like a real reward model's. GOPO's rank-based advantages
 * only use the ordering; GRPO's z-scores use the magnitudes too.
 *
 * <p>Owns an {@link NDManager} holding the weights: close the model when done. Scoring only
 * reads the weights, so several threads may score at once; training and closing must not
 * overlap with scoring.
 *
 * <p>Saved layout of a model directory: {@code config.json}, {@code weights.bin} (the policy's
 * {@link TensorFile} format), {@code weights.sha256}.
 */
public final class RewardModel implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String WEIGHTS_FILE = HashedWeights.WEIGHTS_FILE;
    public static final String SHA256_FILE = HashedWeights.SHA256_FILE;

    /** Rows per forward pass when scoring many completions. */
    static final int SCORE_BATCH = 64;
    private static final String WEIGHTS_METADATA = "{\"type\":\"gopo-reward-model\"}";

    private final RewardModelConfig config;
    private final NDManager manager;
    private final Map<String, NDArray> parameters;
    private final RewardNetwork network;

    private RewardModel(RewardModelConfig config, NDManager manager, Map<String, NDArray> parameters) {
        this.config = config;
        this.manager = manager;
        // Canonical order, so that the weights file (and its hash) does not depend on map order.
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (String name : RewardParameters.shapes(config).keySet()) {
            ordered.put(name, parameters.get(name));
        }
        this.parameters = Collections.unmodifiableMap(ordered);
        this.network = new RewardNetwork(config, this.parameters);
    }

    /** A freshly initialised (untrained) model on the CPU; the same config always gives the same weights. */
    public static RewardModel create(RewardModelConfig config) {
        NDManager manager = NDManager.newBaseManager();
        try {
            return new RewardModel(config, manager, RewardParameters.initialize(config, manager));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model saved by {@link #save}, checking the weights against {@code weights.sha256} when present. */
    public static RewardModel load(Path dir) throws IOException {
        return load(dir, HashedWeights.recordedSha256(dir));
    }

    /**
     * Loads a model saved by {@link #save}; {@code expectedSha256} ({@code null} skips the check)
     * must match the weights file.
     *
     * @throws IOException when a file is missing, unreadable, of another shape, or the hash differs
     */
    public static RewardModel load(Path dir, String expectedSha256) throws IOException {
        RewardModelConfig config = RewardModelConfig.load(dir.resolve(CONFIG_FILE));
        Path weightsFile = HashedWeights.verified(dir, expectedSha256, "reward model weights", "; run `gopo prepare` again");
        NDManager manager = NDManager.newBaseManager();
        try {
            Map<String, NDArray> tensors = TensorFile.read(weightsFile, manager).tensors();
            var expected = RewardParameters.shapes(config);
            if (!tensors.keySet().equals(expected.keySet())) {
                throw new IOException(weightsFile + " holds parameters " + tensors.keySet() + " but config "
                        + config + " needs " + expected.keySet());
            }
            for (var e : expected.entrySet()) {
                if (!tensors.get(e.getKey()).getShape().equals(e.getValue())) {
                    throw new IOException(weightsFile + ": parameter " + e.getKey() + " has shape "
                            + tensors.get(e.getKey()).getShape() + " but the config needs " + e.getValue());
                }
            }
            return new RewardModel(config, manager, tensors);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Writes config, weights and the weights' hash into {@code dir} (created if needed), each
     * file atomically.
     *
     * @return the SHA-256 hex of the weights file, equal to {@link #contentHash()}
     */
    public String save(Path dir) throws IOException {
        Files.createDirectories(dir);
        config.save(dir.resolve(CONFIG_FILE));
        return HashedWeights.write(dir, this::writeWeights);
    }

    /** SHA-256 hex of the weights as {@link #save} would write them. */
    public String contentHash() {
        return HashedWeights.hashOf(this::writeWeights);
    }

    /** The reward of one completion. */
    public double score(String prompt, String completion) {
        return scoreBatch(List.of(prompt), List.of(completion))[0];
    }

    /**
     * Rewards of {@code completions.get(i)} for {@code prompts.get(i)}, computed in batches of
     * {@value #SCORE_BATCH} rows.
     *
     * @throws IllegalArgumentException when the lists differ in size
     */
    public double[] scoreBatch(List<String> prompts, List<String> completions) {
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException(prompts.size() + " prompts but " + completions.size()
                    + " completions: pass one completion per prompt");
        }
        double[] out = new double[prompts.size()];
        for (int from = 0; from < out.length; from += SCORE_BATCH) {
            int to = Math.min(out.length, from + SCORE_BATCH);
            RewardInputs inputs = RewardInputs.of(prompts.subList(from, to), completions.subList(from, to),
                    config);
            try (NDManager scratch = manager.newSubManager()) {
                float[] scores = network.forward(inputs, scratch).toFloatArray();            // (B)
                for (int i = 0; i < scores.length; i++) {
                    out[from + i] = scores[i];
                }
            }
        }
        return out;
    }

    /** Rewards of several completions of one prompt (a generator's group). */
    public double[] scoreGroup(String prompt, List<String> completions) {
        List<String> prompts = new ArrayList<>(completions.size());
        for (int i = 0; i < completions.size(); i++) {
            prompts.add(prompt);
        }
        return scoreBatch(prompts, completions);
    }

    public RewardModelConfig config() {
        return config;
    }

    /** Parameters by name in canonical order, for the trainer (do not close them). */
    Map<String, NDArray> parameters() {
        return parameters;
    }

    RewardNetwork network() {
        return network;
    }

    NDManager manager() {
        return manager;
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "RewardModel[" + config + "]";
    }

    private void writeWeights(OutputStream out) throws IOException {
        TensorFile.write(out, WEIGHTS_METADATA, parameters());
    }
}
