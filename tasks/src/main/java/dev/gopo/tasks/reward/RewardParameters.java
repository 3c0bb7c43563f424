package dev.gopo.tasks.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Names, shapes and seeded initialisation of the reward network's parameters, in the one order
 * used for initialisation, saving and the optimizer. Linear weights are {@code (out, in)} as
 * DJL's {@code Linear.linear} expects. Values are drawn on the JVM ({@link Random}'s Gaussian is
 * fixed by its specification), one stream per name, so a config always gives the same weights.
 */
final class RewardParameters {

    static final String CHAR_EMBEDDING = "char_emb.weight";
    static final String LENGTH_EMBEDDING = "len_emb.weight";
    static final String COUNT_EMBEDDING = "count_emb.weight";
    static final String IN_PROMPT_EMBEDDING = "in_prompt_emb.weight";
    static final String IN_COMPLETION_EMBEDDING = "in_completion_emb.weight";
    static final String POSITION_EMBEDDING = "pos_emb.weight";
    static final String SEGMENT_EMBEDDING = "seg_emb.weight";
    static final String FINAL_NORM_GAMMA = "ln_f.gamma";
    static final String FINAL_NORM_BETA = "ln_f.beta";
    static final String HIDDEN_WEIGHT = "head.hidden.weight";
    static final String HIDDEN_BIAS = "head.hidden.bias";
    static final String OUT_WEIGHT = "head.out.weight";
    static final String OUT_BIAS = "head.out.bias";

    private static final double STD = 0.02;

    private enum Init { NORMAL, XAVIER, ZEROS, ONES }

    private record Entry(Shape shape, Init init) {}

    private RewardParameters() {}

    static String layer(int i, String suffix) {
        return "blocks." + i + "." + suffix;
    }

    /** Every parameter's shape, in canonical order. */
    static Map<String, Shape> shapes(RewardModelConfig config) {
        Map<String, Shape> out = new LinkedHashMap<>();
        layout(config).forEach((name, e) -> out.put(name, e.shape()));
        return Collections.unmodifiableMap(out);
    }

    /** Freshly initialised parameters in {@code manager}. */
    static Map<String, NDArray> initialize(RewardModelConfig config, NDManager manager) {
        Map<String, NDArray> out = new LinkedHashMap<>();
        layout(config).forEach((name, e) -> {
            float[] data = new float[Math.toIntExact(e.shape().size())];
            Random random = new Random(config.seed() * 0x9E3779B97F4A7C15L + name.hashCode());
            switch (e.init()) {
                case NORMAL -> fill(data, STD, random);
                // The head is small; Xavier keeps the initial scores O(1) rather than ~0.
                case XAVIER -> fill(data, Math.sqrt(2.0 / (e.shape().get(0) + e.shape().get(1))), random);
                case ONES -> Arrays.fill(data, 1f);
                case ZEROS -> { }
            }
            NDArray array = manager.create(data, e.shape());
            array.setName(name);
            out.put(name, array);
        });
        return out;
    }

    private static Map<String, Entry> layout(RewardModelConfig c) {
        long d = c.dModel();
        Map<String, Entry> m = new LinkedHashMap<>();
        // One row per (character id, position in word): a word is the sum of its rows.
        m.put(CHAR_EMBEDDING, new Entry(new Shape((long) c.vocabSize() * c.maxWordChars(), d), Init.NORMAL));
        m.put(LENGTH_EMBEDDING, new Entry(new Shape(c.maxWordChars() + 2L, d), Init.NORMAL));
        m.put(COUNT_EMBEDDING, new Entry(new Shape(RewardInputs.MAX_COUNT + 2L, d), Init.NORMAL));
        m.put(IN_PROMPT_EMBEDDING, new Entry(new Shape(RewardInputs.MAX_OCCURRENCES + 1L, d), Init.NORMAL));
        m.put(IN_COMPLETION_EMBEDDING, new Entry(new Shape(RewardInputs.MAX_OCCURRENCES + 1L, d), Init.NORMAL));
        m.put(POSITION_EMBEDDING, new Entry(new Shape(c.maxWords(), d), Init.NORMAL));
        m.put(SEGMENT_EMBEDDING, new Entry(new Shape(2, d), Init.NORMAL));
        for (int i = 0; i < c.nLayers(); i++) {
            m.put(layer(i, "ln1.gamma"), new Entry(new Shape(d), Init.ONES));
            m.put(layer(i, "ln1.beta"), new Entry(new Shape(d), Init.ZEROS));
            m.put(layer(i, "attn.qkv.weight"), new Entry(new Shape(3 * d, d), Init.NORMAL));
            m.put(layer(i, "attn.qkv.bias"), new Entry(new Shape(3 * d), Init.ZEROS));
            m.put(layer(i, "attn.out.weight"), new Entry(new Shape(d, d), Init.NORMAL));
            m.put(layer(i, "attn.out.bias"), new Entry(new Shape(d), Init.ZEROS));
            m.put(layer(i, "ln2.gamma"), new Entry(new Shape(d), Init.ONES));
            m.put(layer(i, "ln2.beta"), new Entry(new Shape(d), Init.ZEROS));
            m.put(layer(i, "mlp.up.weight"), new Entry(new Shape(c.dMlp(), d), Init.NORMAL));
            m.put(layer(i, "mlp.up.bias"), new Entry(new Shape(c.dMlp()), Init.ZEROS));
            m.put(layer(i, "mlp.down.weight"), new Entry(new Shape(d, c.dMlp()), Init.NORMAL));
            m.put(layer(i, "mlp.down.bias"), new Entry(new Shape(d), Init.ZEROS));
        }
        m.put(FINAL_NORM_GAMMA, new Entry(new Shape(d), Init.ONES));
        m.put(FINAL_NORM_BETA, new Entry(new Shape(d), Init.ZEROS));
        m.put(HIDDEN_WEIGHT, new Entry(new Shape(d, 2 * d), Init.XAVIER));
        m.put(HIDDEN_BIAS, new Entry(new Shape(d), Init.ZEROS));
        m.put(OUT_WEIGHT, new Entry(new Shape(1, d), Init.XAVIER));
        m.put(OUT_BIAS, new Entry(new Shape(1), Init.ZEROS));
        return m;
    }

    private static void fill(float[] data, double std, Random random) {
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
    }
}
