package dev.gopo.tasks.reward;

import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Shape of a reward model: a small bidirectional transformer encoder over the <em>words</em> of
 * {@code prompt SEP completion EOS}, each word embedded from its characters, pooled and mapped to
 * one scalar (see {@link RewardNetwork}). Saved as {@code config.json} with the weights.
 *
 * @param vocabSize    number of character ids; must equal {@link Tokenizer#vocabSize()} of {@link Tokenizer#ascii()}
 * @param dModel       width of the encoder, a multiple of {@code nHeads}
 * @param nHeads       attention heads per layer
 * @param nLayers      encoder layers, >= 1
 * @param dMlp         hidden width of each layer's MLP
 * @param maxWords     longest input in words, markers included; extra completion words are dropped
 * @param maxWordChars characters of a word that are read; longer words are cut (their length still counts)
 * @param seed         seed of the parameter initialisation
 */
public record RewardModelConfig(int vocabSize, int dModel, int nHeads, int nLayers, int dMlp, int maxWords,
                                int maxWordChars, long seed) {

    public RewardModelConfig {
        int expectedVocab = Tokenizer.ascii().vocabSize();
        if (vocabSize != expectedVocab) {
            throw new IllegalArgumentException("vocabSize = " + vocabSize + " but the reward model reads "
                    + "Tokenizer.ascii() with " + expectedVocab + " ids: set vocabSize to " + expectedVocab);
        }
        require("dModel", dModel, 4, 4096, "typical values are 32..256");
        require("nHeads", nHeads, 1, dModel, "use a divisor of dModel");
        if (dModel % nHeads != 0) {
            throw new IllegalArgumentException("dModel (" + dModel + ") must be a multiple of nHeads (" + nHeads
                    + "): pick nHeads among the divisors of dModel");
        }
        require("nLayers", nLayers, 1, 24, "1 or 2 is plenty for the built-in tasks");
        require("dMlp", dMlp, 1, 16_384, "usually 2..4 x dModel");
        require("maxWords", maxWords, 4, 1024, "it must hold the prompt's words, SEP, the completion's words and EOS (~32)");
        require("maxWordChars", maxWordChars, 1, 64, "the built-in tasks' words have at most 8 characters; 12 is plenty");
    }

    /** For unit tests: d=32, 2 heads, 2 layers, MLP 64, 40 words of 12 characters. */
    public static RewardModelConfig tiny() {
        return new RewardModelConfig(Tokenizer.ascii().vocabSize(), 32, 2, 2, 64, 40, 12, 7L);
    }

    /** The default: d=64, 4 heads, 2 layers, MLP 128, 40 words of 12 characters. */
    public static RewardModelConfig small() {
        return new RewardModelConfig(Tokenizer.ascii().vocabSize(), 64, 4, 2, 128, 40, 12, 7L);
    }

    /** A copy with another initialisation seed. */
    public RewardModelConfig withSeed(long newSeed) {
        return new RewardModelConfig(vocabSize, dModel, nHeads, nLayers, dMlp, maxWords, maxWordChars, newSeed);
    }

    public int headDim() {
        return dModel / nHeads;
    }

    /** Writes this config as JSON (atomically). */
    public void save(Path file) throws IOException {
        Json.write(file, this);
    }

    /** Reads and validates a config written by {@link #save}. */
    public static RewardModelConfig load(Path file) throws IOException {
        return Json.read(file, RewardModelConfig.class);
    }

    private static void require(String name, long value, long min, long max, String hint) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " = " + value + " is out of range [" + min + ", " + max + "]: "
                    + hint);
        }
    }
}
