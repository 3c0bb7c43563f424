package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.gopo.policy.PolicyConfig;

/**
 * The forward pass of a decoder-only, pre-LayerNorm causal transformer, written directly on
 * NDArrays so that one set of weights serves both the full forward (training, scoring) and the
 * KV-cached incremental forward (sampling).
 *
 * <pre>
 * x_0   = E_tok[tokens] + E_pos[positions]
 * h     = x + Attn(LN_1(x)),     Attn = softmax(Q K^T / sqrt(d_head) + M) V, then W_o
 * x'    = h + W_down GELU(W_up LN_2(h))
 * logits = LN_f(x_L) W_head^T     (W_head = E_tok when the head is tied)
 * </pre>
 *
 * {@code M} is the causal mask: 0 where key position {@code j <= i}, -1e9 where {@code j > i}.
 * Every array the pass creates is attached to the manager of the {@code tokens} argument (DJL
 * attaches an operation's result to its first operand's manager, and every chain here starts
 * from {@code tokens}), so closing that per-step manager frees the whole pass. The scalars of the
 * pass (attention scale, mask value) are arrays in that manager too, never {@code (Number)}
 * arguments: autograd keeps them until backward (see {@link Scalars}).
 * No dropout: the sampling and training log-probs must be the same function of the weights.
 */
public final class CausalTransformer {

    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final float MASKED = -1e9f;

    private final PolicyConfig config;
    private final TransformerWeights weights;
    private final float attentionScale;

    public CausalTransformer(PolicyConfig config, TransformerWeights weights) {
        this.config = config;
        this.weights = weights;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /**
     * Logits for every position of {@code tokens}.
     *
     * @param tokens {@code (B, S)} int32 or int64 token ids
     * @param cache  {@code null} for a full causal pass from position 0; otherwise the pass
     *               continues after the {@code cache.length()} cached positions and appends the
     *               new keys and values to it
     * @return {@code (B, S, vocab)} logits
     */
    public NDArray forward(NDArray tokens, KvCache cache) {
        return forward(tokens, cache, null);
    }

    /**
     * Like {@link #forward(NDArray, KvCache)} for left-padded rows of different lengths (several
     * prompts decoded as one batch). Row {@code b}'s first {@code leftPadding[b]} positions (counted
     * from position 0, cache included) are padding: no query attends to them (additive key mask
     * {@code -1e9}, so their softmax weight is exactly 0) and the row's positions are counted from its
     * first real token, {@code pos = max(0, j - leftPadding[b])}. The real tokens' logits are then
     * those of the unpadded row to float rounding.
     *
     * @param leftPadding {@code null} for none, else one count per row
     */
    public NDArray forward(NDArray tokens, KvCache cache, int[] leftPadding) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("tokens must be (B, S), got " + shape);
        }
        int batch = (int) shape.get(0);
        int steps = (int) shape.get(1);
        int start = cache == null ? 0 : cache.length();
        if (start + steps > config.maxSeqLen()) {
            throw new IllegalArgumentException("sequence of " + (start + steps)
                    + " tokens exceeds the model context " + config.maxSeqLen());
        }
        if (cache != null && start > 0 && cache.batchSize() != batch) {
            throw new IllegalArgumentException("tokens batch " + batch + " differs from cache batch "
                    + cache.batchSize());
        }
        if (leftPadding != null && leftPadding.length != batch) {
            throw new IllegalArgumentException(leftPadding.length + " left-padding counts for a batch of " + batch);
        }
        NDManager scratch = tokens.getManager();

        NDArray positions = leftPadding == null
                ? scratch.arange(start, start + steps)                                  // (S)
                : rowPositions(scratch, leftPadding, start, steps);                     // (B, S)
        NDArray x = Embedding.embedding(tokens, weights.tokenEmbedding(), SparseFormat.DENSE)
                .singletonOrThrow()                                                    // (B, S, D)
                .add(Embedding.embedding(positions, weights.positionEmbedding(), SparseFormat.DENSE)
                        .singletonOrThrow());                                          // + (S, D) or (B, S, D)
        NDArray mask = steps > 1 ? causalMask(scratch, start, steps) : null;           // (S, L+S)
        if (leftPadding != null) {
            NDArray keys = keyPaddingMask(scratch, leftPadding, start + steps);         // (B, 1, 1, L+S)
            mask = mask == null ? keys : keys.add(mask);                                // (B, 1, S, L+S)
        }
        NDArray scale = Scalars.of(scratch, attentionScale);                           // (), see Scalars

        for (int i = 0; i < weights.layerCount(); i++) {
            TransformerWeights.Layer w = weights.layer(i);
            NDArray h = layerNorm(x, w.ln1Gamma(), w.ln1Beta());                        // (B, S, D)
            x = x.add(attention(h, w, i, cache, mask, scale, batch, steps));            // (B, S, D)
            NDArray h2 = layerNorm(x, w.ln2Gamma(), w.ln2Beta());
            NDArray up = Activation.gelu(linear(h2, w.upWeight(), w.upBias()));        // (B, S, dMlp)
            x = x.add(linear(up, w.downWeight(), w.downBias()));                        // (B, S, D)
        }
        NDArray out = layerNorm(x, weights.finalNormGamma(), weights.finalNormBeta());
        return linear(out, weights.head(), null);                                       // (B, S, vocab)
    }

    private NDArray attention(NDArray h, TransformerWeights.Layer w, int layer, KvCache cache,
                              NDArray mask, NDArray scale, int batch, int steps) {
        int heads = config.nHeads();
        int headDim = config.headDim();
        NDList qkv = linear(h, w.qkvWeight(), w.qkvBias()).split(3, 2);                // 3 x (B, S, D)
        NDArray q = qkv.get(0).reshape(batch, steps, heads, headDim).transpose(0, 2, 1, 3); // (B, H, S, hd)
        NDArray kT = qkv.get(1).reshape(batch, steps, heads, headDim).transpose(0, 2, 3, 1); // (B, H, hd, S)
        NDArray v = qkv.get(2).reshape(batch, steps, heads, headDim).transpose(0, 2, 1, 3); // (B, H, S, hd)
        if (cache != null) {
            NDArray[] kv = cache.append(layer, kT, v);
            kT = kv[0];                                                                 // (B, H, hd, L+S)
            v = kv[1];                                                                  // (B, H, L+S, hd)
        }
        NDArray scores = q.matMul(kT).muli(scale);                                     // (B, H, S, L+S)
        if (mask != null) {
            scores = scores.addi(mask);
        }
        NDArray context = scores.softmax(-1).matMul(v)                                 // (B, H, S, hd)
                .transpose(0, 2, 1, 3)
                .reshape(batch, steps, heads * headDim);                              // (B, S, D)
        return linear(context, w.outWeight(), w.outBias());
    }

    /** Positions {@code (B, S)}: {@code max(0, start + s - leftPadding[b])}. */
    private static NDArray rowPositions(NDManager manager, int[] leftPadding, int start, int steps) {
        int[] pos = new int[leftPadding.length * steps];
        for (int b = 0; b < leftPadding.length; b++) {
            for (int s = 0; s < steps; s++) {
                pos[b * steps + s] = Math.max(0, start + s - leftPadding[b]);
            }
        }
        return manager.create(pos, new Shape(leftPadding.length, steps));
    }

    /** Additive key mask {@code (B, 1, 1, L)}: -1e9 on row {@code b}'s first {@code leftPadding[b]} keys, 0 elsewhere. */
    private static NDArray keyPaddingMask(NDManager manager, int[] leftPadding, int keys) {
        float[] mask = new float[leftPadding.length * keys];
        for (int b = 0; b < leftPadding.length; b++) {
            for (int j = 0; j < Math.min(leftPadding[b], keys); j++) {
                mask[b * keys + j] = MASKED;
            }
        }
        return manager.create(mask, new Shape(leftPadding.length, 1, 1, keys));
    }

    /** Additive mask {@code (S, L+S)}: query {@code i} (absolute {@code L+i}) may see keys {@code j <= L+i}. */
    private static NDArray causalMask(NDManager manager, int start, int steps) {
        NDArray queryPos = manager.arange(start, start + steps).reshape(steps, 1);    // (S, 1)
        NDArray keyPos = manager.arange(0, start + steps).reshape(1, start + steps);  // (1, L+S)
        return Scalars.muli(keyPos.gt(queryPos).toType(DataType.FLOAT32, false), MASKED, manager); // (S, L+S)
    }

    private static NDArray layerNorm(NDArray x, NDArray gamma, NDArray beta) {
        return LayerNorm.layerNorm(x, new Shape(x.getShape().getLastDimension()), gamma, beta, LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    private static NDArray linear(NDArray x, NDArray weight, NDArray bias) {
        return Linear.linear(x, weight, bias).singletonOrThrow();
    }
}
