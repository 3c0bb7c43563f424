package dev.gopo.policy.model;

import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyConfig;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The names, shapes and initialisations of every parameter of the causal transformer, in the one
 * fixed order used for initialisation, saving and optimizer state. Linear weights are stored
 * {@code (out, in)} as DJL's {@code Linear.linear} expects.
 */
public final class ParameterLayout {

    /** How a parameter starts. */
    public enum Init {
        /** N(0, 0.02^2), GPT-2 style. */
        NORMAL,
        /** N(0, (0.02 / sqrt(2 nLayers))^2): residual projections, so depth does not grow the stream. */
        NORMAL_RESIDUAL,
        ZEROS,
        ONES
    }

    /** One parameter: name, shape, initialisation. */
    public record Entry(String name, Shape shape, Init init) {}

    public static final String TOKEN_EMBEDDING = "tok_emb.weight";
    public static final String POSITION_EMBEDDING = "pos_emb.weight";
    public static final String FINAL_NORM_GAMMA = "ln_f.gamma";
    public static final String FINAL_NORM_BETA = "ln_f.beta";
    public static final String HEAD = "head.weight";

    private final Map<String, Entry> entries;

    public ParameterLayout(PolicyConfig config) {
        long d = config.dModel();
        long mlp = config.dMlp();
        Map<String, Entry> map = new LinkedHashMap<>();
        add(map, TOKEN_EMBEDDING, new Shape(config.vocabSize(), d), Init.NORMAL);
        add(map, POSITION_EMBEDDING, new Shape(config.maxSeqLen(), d), Init.NORMAL);
        for (int i = 0; i < config.nLayers(); i++) {
            add(map, layerName(i, "ln1.gamma"), new Shape(d), Init.ONES);
            add(map, layerName(i, "ln1.beta"), new Shape(d), Init.ZEROS);
            add(map, layerName(i, "attn.qkv.weight"), new Shape(3 * d, d), Init.NORMAL);
            add(map, layerName(i, "attn.qkv.bias"), new Shape(3 * d), Init.ZEROS);
            add(map, layerName(i, "attn.out.weight"), new Shape(d, d), Init.NORMAL_RESIDUAL);
            add(map, layerName(i, "attn.out.bias"), new Shape(d), Init.ZEROS);
            add(map, layerName(i, "ln2.gamma"), new Shape(d), Init.ONES);
            add(map, layerName(i, "ln2.beta"), new Shape(d), Init.ZEROS);
            add(map, layerName(i, "mlp.up.weight"), new Shape(mlp, d), Init.NORMAL);
            add(map, layerName(i, "mlp.up.bias"), new Shape(mlp), Init.ZEROS);
            add(map, layerName(i, "mlp.down.weight"), new Shape(d, mlp), Init.NORMAL_RESIDUAL);
            add(map, layerName(i, "mlp.down.bias"), new Shape(d), Init.ZEROS);
        }
        add(map, FINAL_NORM_GAMMA, new Shape(d), Init.ONES);
        add(map, FINAL_NORM_BETA, new Shape(d), Init.ZEROS);
        if (!config.tiedHead()) {
            add(map, HEAD, new Shape(config.vocabSize(), d), Init.NORMAL);
        }
        this.entries = Collections.unmodifiableMap(map);
    }

    /** Name of a parameter of block {@code layer}, e.g. {@code blocks.0.attn.qkv.weight}. */
    public static String layerName(int layer, String suffix) {
        return "blocks." + layer + "." + suffix;
    }

    /** Every parameter in canonical order. */
    public Map<String, Entry> entries() {
        return entries;
    }

    private static void add(Map<String, Entry> map, String name, Shape shape, Init init) {
        map.put(name, new Entry(name, shape, init));
    }
}
