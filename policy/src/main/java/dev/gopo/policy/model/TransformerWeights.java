package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gopo.policy.PolicyConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter tensors of one causal transformer, by name in {@link ParameterLayout} order. The
 * arrays belong to the manager they were created in (the owning {@code PolicyModel}'s).
 */
public final class TransformerWeights {

    /** The parameters of one pre-LayerNorm block. */
    public record Layer(
            NDArray ln1Gamma, NDArray ln1Beta,
            NDArray qkvWeight, NDArray qkvBias,
            NDArray outWeight, NDArray outBias,
            NDArray ln2Gamma, NDArray ln2Beta,
            NDArray upWeight, NDArray upBias,
            NDArray downWeight, NDArray downBias) {}

    private final Map<String, NDArray> tensors;
    private final List<Layer> layers;
    private final boolean tiedHead;

    /**
     * Wraps {@code tensors} after checking they are exactly the parameters {@code config} needs.
     *
     * @throws IllegalArgumentException naming the first missing, unexpected or mis-shaped tensor
     */
    public TransformerWeights(PolicyConfig config, Map<String, NDArray> tensors) {
        ParameterLayout layout = new ParameterLayout(config);
        Map<String, NDArray> ordered = new LinkedHashMap<>();
        for (ParameterLayout.Entry e : layout.entries().values()) {
            NDArray array = tensors.get(e.name());
            if (array == null) {
                throw new IllegalArgumentException("weights lack parameter " + e.name()
                        + ": they were saved for a different model shape than config " + config);
            }
            if (!array.getShape().equals(e.shape())) {
                throw new IllegalArgumentException("parameter " + e.name() + " has shape " + array.getShape()
                        + " but config " + config + " needs " + e.shape());
            }
            ordered.put(e.name(), array);
        }
        for (String name : tensors.keySet()) {
            if (!ordered.containsKey(name)) {
                throw new IllegalArgumentException("weights hold unexpected parameter " + name
                        + " (is tiedHead or nLayers in the config wrong?)");
            }
        }
        this.tensors = Collections.unmodifiableMap(ordered);
        this.tiedHead = config.tiedHead();
        List<Layer> list = new ArrayList<>();
        for (int i = 0; i < config.nLayers(); i++) {
            list.add(new Layer(
                    get(i, "ln1.gamma"), get(i, "ln1.beta"),
                    get(i, "attn.qkv.weight"), get(i, "attn.qkv.bias"),
                    get(i, "attn.out.weight"), get(i, "attn.out.bias"),
                    get(i, "ln2.gamma"), get(i, "ln2.beta"),
                    get(i, "mlp.up.weight"), get(i, "mlp.up.bias"),
                    get(i, "mlp.down.weight"), get(i, "mlp.down.bias")));
        }
        this.layers = List.copyOf(list);
    }

    /** All parameters by name, in canonical order (unmodifiable). */
    public Map<String, NDArray> asMap() {
        return tensors;
    }

    public NDArray tokenEmbedding() {
        return tensors.get(ParameterLayout.TOKEN_EMBEDDING);
    }

    public NDArray positionEmbedding() {
        return tensors.get(ParameterLayout.POSITION_EMBEDDING);
    }

    public NDArray finalNormGamma() {
        return tensors.get(ParameterLayout.FINAL_NORM_GAMMA);
    }

    public NDArray finalNormBeta() {
        return tensors.get(ParameterLayout.FINAL_NORM_BETA);
    }

    /** Output projection {@code (vocab, dModel)}: the token embedding when the head is tied. */
    public NDArray head() {
        return tiedHead ? tokenEmbedding() : tensors.get(ParameterLayout.HEAD);
    }

    public Layer layer(int index) {
        return layers.get(index);
    }

    public int layerCount() {
        return layers.size();
    }

    /** Copies every tensor into {@code manager} as plain data (no autograd history, no gradient). */
    public Map<String, NDArray> copyTensors(NDManager manager) {
        Map<String, NDArray> copy = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : tensors.entrySet()) {
            NDArray array = manager.create(e.getValue().toFloatArray(), e.getValue().getShape());
            array.setName(e.getKey());
            copy.put(e.getKey(), array);
        }
        return copy;
    }

    /** Marks every parameter as requiring a gradient (for the trained policy only). */
    public void attachGradients() {
        for (NDArray array : tensors.values()) {
            array.setRequiresGradient(true);
        }
    }

    private NDArray get(int layer, String suffix) {
        return tensors.get(ParameterLayout.layerName(layer, suffix));
    }
}
