package dev.gopo.policy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.gopo.policy.io.HashedWeights;
import dev.gopo.policy.io.Sha256;
import dev.gopo.policy.io.TensorFile;
import dev.gopo.policy.model.CausalTransformer;
import dev.gopo.policy.model.KvCache;
import dev.gopo.policy.model.Scalars;
import dev.gopo.policy.model.TransformerWeights;
import dev.gopo.policy.model.WeightInitializer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The policy: a decoder-only causal transformer (see {@link CausalTransformer}) with its config
 * and tokenizer. Owns an {@link NDManager} on its device holding the weights; close it when done.
 *
 * <p><b>Temperature and log-prob convention.</b> The behaviour log-prob a generator records is that of
 * the distribution the token was actually sampled from: {@code log_softmax(logits / temperature)},
 * renormalised over the top-k / top-p set when truncation is on ({@code log p(t) - log sum_K p}; see
 * the policy README, "Temperature and log-prob convention"). {@link #tokenLogProbs} computes the
 * untruncated {@code log_softmax(logits / temperature)}, which equals the recorded value when top-k
 * and top-p are off; with truncation an on-policy ratio is the kept mass ({@code <= 1}), not 1. The
 * learner must pass the generators' temperature, which travels with every completion; it is
 * therefore an explicit argument, not hidden model state.
 *
 * <p><b>Threads.</b> Forward passes only read the weights, so several threads may sample from one
 * model at once; updating weights (the trainer) and closing must not overlap with them.
 *
 * <p>Saved layout of a model directory: {@code config.json}, {@code tokenizer.json},
 * {@code weights.bin} (see {@link TensorFile}), {@code weights.sha256}.
 */
public final class PolicyModel implements AutoCloseable {

    public static final String CONFIG_FILE = "config.json";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String WEIGHTS_FILE = HashedWeights.WEIGHTS_FILE;
    public static final String SHA256_FILE = HashedWeights.SHA256_FILE;

    /** Weights files carry no metadata, so their hash depends on the weights alone. */
    private static final String WEIGHTS_METADATA = "{}";

    private final PolicyConfig config;
    private final Tokenizer tokenizer;
    private final NDManager manager;
    private final TransformerWeights weights;
    private final CausalTransformer transformer;
    private final boolean frozen;

    private PolicyModel(PolicyConfig config, Tokenizer tokenizer, NDManager manager,
                        Map<String, NDArray> tensors, boolean frozen) {
        this.config = config;
        this.tokenizer = tokenizer;
        this.manager = manager;
        this.weights = new TransformerWeights(config, tensors);
        this.transformer = new CausalTransformer(config, weights);
        this.frozen = frozen;
    }

    /**
     * A freshly initialised model; the same config (seed included) always gives the same weights.
     *
     * @throws IllegalArgumentException when {@code config.vocabSize()} differs from the tokenizer's
     */
    public static PolicyModel create(PolicyConfig config, Tokenizer tokenizer) {
        requireVocabularyMatch(config, tokenizer);
        NDManager manager = NDManager.newBaseManager(config.resolveDevice());
        try {
            return new PolicyModel(config, tokenizer, manager, WeightInitializer.initialize(config, manager), false);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Loads a model saved by {@link #save}. If {@code weights.sha256} is present the weights are
     * checked against it.
     */
    public static PolicyModel load(Path dir) throws IOException {
        return load(dir, HashedWeights.recordedSha256(dir), false);
    }

    /**
     * Loads a model saved by {@link #save} as a frozen reference: its weights never require
     * gradients and {@link #attachGradients()} refuses.
     */
    public static PolicyModel loadFrozen(Path dir) throws IOException {
        return load(dir, HashedWeights.recordedSha256(dir), true);
    }

    /**
     * Loads a model saved by {@link #save} and checks that its weights hash to
     * {@code expectedSha256} (e.g. the hash announced with a policy version); {@code null} skips
     * the check.
     *
     * @throws IOException when a file is missing or unreadable, or the hash differs
     */
    public static PolicyModel load(Path dir, String expectedSha256) throws IOException {
        return load(dir, expectedSha256, false);
    }

    private static PolicyModel load(Path dir, String expectedSha256, boolean frozen) throws IOException {
        PolicyConfig config = PolicyConfig.load(dir.resolve(CONFIG_FILE));
        Tokenizer tokenizer = Tokenizer.load(dir.resolve(TOKENIZER_FILE));
        requireVocabularyMatch(config, tokenizer);
        Path weightsFile = HashedWeights.verified(dir, expectedSha256, "weights", "");
        NDManager manager = NDManager.newBaseManager(config.resolveDevice());
        try {
            Map<String, NDArray> tensors = TensorFile.read(weightsFile, manager).tensors();
            return new PolicyModel(config, tokenizer, manager, tensors, frozen);
        } catch (IOException | RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Writes config, tokenizer, weights and the weights' hash into {@code dir} (created if
     * needed). Each file is written to a temporary file and atomically renamed.
     *
     * @return the SHA-256 hex of the weights file, equal to {@link #contentHash()}
     */
    public String save(Path dir) throws IOException {
        Files.createDirectories(dir);
        config.save(dir.resolve(CONFIG_FILE));
        tokenizer.save(dir.resolve(TOKENIZER_FILE));
        return HashedWeights.write(dir, this::writeWeights);
    }

    /** SHA-256 hex of a weights file. */
    public static String sha256(Path weightsFile) throws IOException {
        return Sha256.ofFile(weightsFile);
    }

    /** SHA-256 hex of the weights as {@link #save} would write them, without touching the disk. */
    public String contentHash() {
        return HashedWeights.hashOf(this::writeWeights);
    }

    /**
     * Log-prob of each next token under the full (untruncated) temperature-scaled distribution:
     * {@code out[b, t] = log_softmax(logits[b, t] / temperature)[tokens[b, t+1]]}. This is the learner's
     * {@code logp_theta}; the behaviour log-probs it is compared with are those of the distribution
     * actually sampled (after top-k / top-p), equal to this one when truncation is off.
     * Causal: {@code out[b, t]} depends only on {@code tokens[b, 0..t+1]}.
     *
     * <p>Differentiable with respect to the weights when they require gradients (the trained
     * policy inside a {@code GradientCollector}). All arrays created, the result included, are
     * attached to {@code tokens}' manager: create {@code tokens} in a per-step child manager of
     * {@link #manager()} and keep it open until after backward, because that manager also owns the
     * scalars (temperature, attention scale) that backward reads ({@link Scalars}).
     *
     * @param tokens      {@code (B, T)} int token ids, {@code 2 <= T <= maxSeqLen}
     * @param temperature the sampling temperature the behaviour log-probs were recorded at
     * @return {@code (B, T-1)} float32 log-probs
     */
    public NDArray tokenLogProbs(NDArray tokens, double temperature) {
        requireTemperature(temperature);
        long length = tokens.getShape().get(1);
        if (length < 2) {
            throw new IllegalArgumentException("tokenLogProbs needs at least 2 tokens per row, got " + length);
        }
        NDArray inputs = tokens.get(new NDIndex(":, 0:{}", length - 1));                 // (B, T-1)
        NDArray targets = tokens.get(new NDIndex(":, 1:{}", length))
                .toType(DataType.INT64, false).expandDims(-1);                           // (B, T-1, 1)
        NDArray logits = transformer.forward(inputs, null);                              // (B, T-1, vocab)
        NDArray logProbs = Scalars.div(logits, (float) temperature, tokens.getManager())  // (B, T-1, vocab)
                .logSoftmax(-1);
        return logProbs.gather(targets, -1).squeeze(-1);                                 // (B, T-1)
    }

    /**
     * Raw logits of a full causal pass, or of an incremental pass continuing a {@link KvCache}.
     *
     * @param tokens {@code (B, S)} int token ids
     * @param cache  {@code null} for a full pass from position 0
     * @return {@code (B, S, vocab)}, attached to {@code tokens}' manager
     */
    public NDArray logits(NDArray tokens, KvCache cache) {
        return transformer.forward(tokens, cache);
    }

    /**
     * Like {@link #logits(NDArray, KvCache)} for left-padded rows of different lengths; see
     * {@link CausalTransformer#forward(NDArray, KvCache, int[])}.
     */
    public NDArray logits(NDArray tokens, KvCache cache, int[] leftPadding) {
        return transformer.forward(tokens, cache, leftPadding);
    }

    /** An empty KV cache for this model, its arrays in a child of {@code parent}. */
    public KvCache newKvCache(NDManager parent) {
        return new KvCache(parent, config.nLayers());
    }

    /**
     * A deep copy whose weights never require gradients, for the frozen reference policy of the
     * KL penalty. The copy has its own manager and must be closed separately.
     */
    public PolicyModel copyFrozen() {
        NDManager copyManager = NDManager.newBaseManager(manager.getDevice());
        try {
            return new PolicyModel(config, tokenizer, copyManager, weights.copyTensors(copyManager), true);
        } catch (RuntimeException e) {
            copyManager.close();
            throw e;
        }
    }

    /**
     * Marks all weights as requiring gradients so a trainer can update them.
     *
     * @throws IllegalStateException on a frozen copy
     */
    public void attachGradients() {
        if (frozen) {
            throw new IllegalStateException("this is a frozen reference copy; train the original policy instead");
        }
        weights.attachGradients();
    }

    public PolicyConfig config() {
        return config;
    }

    public Tokenizer tokenizer() {
        return tokenizer;
    }

    public Device device() {
        return manager.getDevice();
    }

    /** The manager holding the weights; make per-step children of it, never attach to it directly. */
    public NDManager manager() {
        return manager;
    }

    /** The parameter tensors by name (for the optimizer; do not close them). */
    public TransformerWeights weights() {
        return weights;
    }

    public boolean isFrozen() {
        return frozen;
    }

    /** Total number of trainable scalars. */
    public long parameterCount() {
        return config.parameterCount();
    }

    @Override
    public void close() {
        manager.close();
    }

    @Override
    public String toString() {
        return "PolicyModel[" + parameterCount() + " params, " + config + (frozen ? ", frozen" : "") + "]";
    }

    static void requireTemperature(double temperature) {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new IllegalArgumentException("temperature must be a finite number > 0, got " + temperature);
        }
    }

    private void writeWeights(java.io.OutputStream out) throws IOException {
        TensorFile.write(out, WEIGHTS_METADATA, weights.asMap());
    }

    private static void requireVocabularyMatch(PolicyConfig config, Tokenizer tokenizer) {
        if (config.vocabSize() != tokenizer.vocabSize()) {
            throw new IllegalArgumentException("config.vocabSize " + config.vocabSize()
                    + " differs from the tokenizer's " + tokenizer.vocabSize()
                    + ": set vocabSize to tokenizer.vocabSize()");
        }
    }
}
