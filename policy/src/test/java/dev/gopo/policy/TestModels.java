package dev.gopo.policy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** Shared helpers: tiny CPU models and a one-call log-prob read-out. */
public final class TestModels {

    private TestModels() {}

    /** The tiny preset on the CPU (tests must not depend on a GPU being present). */
    public static PolicyConfig tinyCpu() {
        return PolicyConfig.tiny().withDevice("cpu");
    }

    public static PolicyModel tinyModel() {
        return PolicyModel.create(tinyCpu(), Tokenizer.ascii());
    }

    public static PolicyModel tinyModel(long seed) {
        return PolicyModel.create(tinyCpu().withSeed(seed), Tokenizer.ascii());
    }

    /** {@code tokenLogProbs} of one sequence as floats, length {@code tokens.length - 1}. */
    public static float[] logProbs(PolicyModel model, int[] tokens, double temperature) {
        try (NDManager step = model.manager().newSubManager()) {
            NDArray t = step.create(tokens, new Shape(1, tokens.length));
            return model.tokenLogProbs(t, temperature).toFloatArray();
        }
    }

    /** Concatenation of two token arrays. */
    public static int[] concat(int[] a, int[] b) {
        int[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
