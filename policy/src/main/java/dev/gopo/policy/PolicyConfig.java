package dev.gopo.policy;

import ai.djl.Device;
import ai.djl.engine.Engine;
import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Shape of the policy network: a decoder-only causal transformer. Saved as {@code config.json}
 * next to the weights, so a loaded model always has the shape it was trained with.
 *
 * @param vocabSize number of token ids; must equal {@link Tokenizer#vocabSize()}
 * @param dModel    width of the residual stream; a multiple of {@code nHeads}
 * @param nHeads    attention heads per layer; head width is {@code dModel / nHeads}
 * @param nLayers   number of pre-LayerNorm transformer blocks
 * @param dMlp      hidden width of each block's MLP (usually 4 x dModel)
 * @param maxSeqLen context length: prompt plus completion tokens must fit in it
 * @param tiedHead  true to reuse the token embedding matrix as the output projection
 * @param seed      seed of the parameter initialisation; the same seed gives the same weights
 * @param device    {@code auto} (GPU when PyTorch sees one, else CPU), {@code cpu} or {@code gpu}
 */
public record PolicyConfig(
        int vocabSize,
        int dModel,
        int nHeads,
        int nLayers,
        int dMlp,
        int maxSeqLen,
        boolean tiedHead,
        long seed,
        String device) {

    /** Upper bounds that catch typos (an extra zero) before they allocate gigabytes. */
    private static final int MAX_WIDTH = 16_384;
    private static final int MAX_LAYERS = 256;
    private static final int MAX_CONTEXT = 65_536;

    public PolicyConfig {
        requireRange("vocabSize", vocabSize, 5, 1_000_000, "use Tokenizer.vocabSize()");
        requireRange("dModel", dModel, 1, MAX_WIDTH, "typical values are 32..1024");
        requireRange("nHeads", nHeads, 1, dModel, "use a divisor of dModel, e.g. dModel/32");
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException("dModel (" + dModel + ") must be a multiple of nHeads ("
                    + nHeads + "): pick nHeads among the divisors of dModel");
        }
        requireRange("nLayers", nLayers, 1, MAX_LAYERS, "typical values are 1..24");
        requireRange("dMlp", dMlp, 1, 4 * MAX_WIDTH, "usually 4 x dModel = " + 4L * dModel);
        requireRange("maxSeqLen", maxSeqLen, 2, MAX_CONTEXT, "it must hold prompt plus completion tokens");
        if (device == null) {
            throw new IllegalArgumentException("device is missing: set it to auto, cpu or gpu");
        }
        device = device.trim().toLowerCase(Locale.ROOT);
        if (!device.equals("auto") && !device.equals("cpu") && !device.equals("gpu")) {
            throw new IllegalArgumentException("device '" + device + "' is not supported: use auto, cpu or gpu");
        }
    }

    /** A model for unit tests: d=32, 2 heads, 2 layers, context 96 (about 30k parameters). */
    public static PolicyConfig tiny() {
        return new PolicyConfig(Tokenizer.ascii().vocabSize(), 32, 2, 2, 128, 96, true, 42L, "auto");
    }

    /**
     * The default pipeline model: d=128, 4 heads, 4 layers, MLP 576, context 128, tied head
     * (about 0.89M parameters; see {@link #parameterCount()}).
     */
    public static PolicyConfig small() {
        return new PolicyConfig(Tokenizer.ascii().vocabSize(), 128, 4, 4, 576, 128, true, 42L, "auto");
    }

    /** Width of one attention head. */
    public int headDim() {
        return dModel / nHeads;
    }

    /** Number of trainable scalars this shape has. */
    public long parameterCount() {
        long d = dModel;
        long perLayer = 2 * (2 * d)          // two LayerNorms (gamma, beta)
                + 3 * d * d + 3 * d          // fused q/k/v projection
                + d * d + d                  // attention output projection
                + d * dMlp + dMlp            // MLP up
                + (long) dMlp * d + d;       // MLP down
        long embeddings = (long) vocabSize * d + (long) maxSeqLen * d;
        long head = tiedHead ? 0 : (long) vocabSize * d;
        return embeddings + nLayers * perLayer + 2 * d + head;
    }

    /** A copy with another initialisation seed. */
    public PolicyConfig withSeed(long newSeed) {
        return new PolicyConfig(vocabSize, dModel, nHeads, nLayers, dMlp, maxSeqLen, tiedHead, newSeed, device);
    }

    /** A copy sized for another tokenizer's vocabulary ({@link Tokenizer#vocabSize()}). */
    public PolicyConfig withVocabSize(int newVocabSize) {
        return new PolicyConfig(newVocabSize, dModel, nHeads, nLayers, dMlp, maxSeqLen, tiedHead, seed, device);
    }

    /** A copy with another context length (prompt plus completion tokens). */
    public PolicyConfig withMaxSeqLen(int newMaxSeqLen) {
        return new PolicyConfig(vocabSize, dModel, nHeads, nLayers, dMlp, newMaxSeqLen, tiedHead, seed, device);
    }

    /** A copy placed on another device ({@code auto}, {@code cpu} or {@code gpu}). */
    public PolicyConfig withDevice(String newDevice) {
        return new PolicyConfig(vocabSize, dModel, nHeads, nLayers, dMlp, maxSeqLen, tiedHead, seed, newDevice);
    }

    /**
     * The DJL device this config asks for: {@code auto} picks the GPU when
     * {@code Engine.getInstance().getGpuCount() > 0}.
     *
     * @throws IllegalStateException when {@code gpu} is requested but PyTorch sees none
     */
    public Device resolveDevice() {
        int gpus = Engine.getInstance().getGpuCount();
        switch (device) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (gpus == 0) {
                    throw new IllegalStateException("device=gpu but PyTorch sees no GPU: use device=auto or cpu");
                }
                return Device.gpu();
            default:
                return gpus > 0 ? Device.gpu() : Device.cpu();
        }
    }

    /** Writes this config as JSON (atomically). */
    public void save(Path file) throws IOException {
        Json.write(file, this);
    }

    /** Reads and validates a config written by {@link #save}. */
    public static PolicyConfig load(Path file) throws IOException {
        return Json.read(file, PolicyConfig.class);
    }

    private static void requireRange(String name, long value, long min, long max, String hint) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " = " + value + " is out of range [" + min + ", " + max
                    + "]: " + hint);
        }
    }
}
