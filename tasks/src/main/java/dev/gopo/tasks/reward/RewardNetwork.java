package dev.gopo.tasks.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.gopo.policy.model.Scalars;

import java.util.Map;

/**
 * Forward pass of the reward model, written on NDArrays like the policy so the same weights
 * serve training and scoring without DJL's Block machinery. Word {@code w} with characters
 * {@code c_0..c_{n-1}} (see {@link RewardInputs}) enters as
 * <pre>
 * e_w  = sum_k E_char[c_k, k] + E_len[n] + E_count[count_w] + E_pos[w] + E_seg[segment_w]
 *        + E_inPrompt[occurrences of w in the prompt] + E_inCompletion[occurrences of w in the completion]
 * </pre>
 * so equal words get equal vectors and a typo changes one term of the sum: attention can then
 * match completion words against prompt words directly. Then
 * <pre>
 * x_0  = e                                                                        (B, W, D)
 * h    = x + Attn(LN_1(x)),  Attn = softmax(Q K^T / sqrt(d_head) + M_pad) V W_o   (bidirectional)
 * x'   = h + W_down GELU(W_up LN_2(h))
 * z    = LN_f(x_L)
 * f    = [ mean_{completion positions} z ; mean_{all real positions} z ]           (2d)
 * r    = w_out . GELU(W_hidden f + b_hidden) + b_out                               (scalar)
 * </pre>
 * Attention is bidirectional (every completion word can look at every prompt word: the summarise
 * task needs word frequencies in the prompt), and {@code M_pad} hides padding.
 * Every temporary is attached to the {@code scratch} manager of the call, the scalars too: autograd
 * keeps them until backward, so they are never {@code (Number)} arguments (see {@link Scalars}).
 */
final class RewardNetwork {

    private static final float LAYER_NORM_EPS = 1e-5f;
    private static final float MASKED = -1e9f;

    private final RewardModelConfig config;
    private final Map<String, NDArray> p;
    private final float attentionScale;

    RewardNetwork(RewardModelConfig config, Map<String, NDArray> parameters) {
        this.config = config;
        this.p = parameters;
        this.attentionScale = (float) (1.0 / Math.sqrt(config.headDim()));
    }

    /**
     * @param inputs CPU batch to score
     * @param scratch manager of every array created (a per-call child manager)
     * @return {@code (B)} scores
     */
    NDArray forward(RewardInputs inputs, NDManager scratch) {
        int b = inputs.batchSize;
        int t = inputs.length;
        int l = inputs.wordChars;
        NDArray chars = scratch.create(inputs.chars, new Shape(b, t, l));                     // (B, T, L)
        NDArray segments = scratch.create(inputs.segments, new Shape(b, t));                  // (B, T)
        NDArray lengths = scratch.create(inputs.wordLengths, new Shape(b, t));                // (B, T)
        NDArray counts = scratch.create(inputs.countIds, new Shape(b, t));                    // (B, T)
        NDArray inPrompt = scratch.create(inputs.inPrompt, new Shape(b, t));                  // (B, T)
        NDArray inCompletion = scratch.create(inputs.inCompletion, new Shape(b, t));          // (B, T)
        NDArray real = scratch.create(inputs.realMask, new Shape(b, t));                      // (B, T)
        NDArray completion = scratch.create(inputs.completionMask, new Shape(b, t));          // (B, T)

        // Row of (character c, position k) is c * L + k; padding characters are masked out.
        NDArray rows = chars.mul(Scalars.ofInt(scratch, l)).add(scratch.arange(l));           // (B, T, L)
        NDArray charMask = chars.gt(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                .expandDims(-1);                                                              // (B, T, L, 1)
        NDArray words = embed(rows, RewardParameters.CHAR_EMBEDDING).mul(charMask)            // (B, T, L, D)
                .sum(new int[] {2});                                                          // (B, T, D)
        NDArray x = words
                .add(embed(lengths, RewardParameters.LENGTH_EMBEDDING))                       // + (B, T, D)
                .add(embed(counts, RewardParameters.COUNT_EMBEDDING))                         // + (B, T, D)
                .add(embed(inPrompt, RewardParameters.IN_PROMPT_EMBEDDING))                   // + (B, T, D)
                .add(embed(inCompletion, RewardParameters.IN_COMPLETION_EMBEDDING))           // + (B, T, D)
                .add(embed(scratch.arange(t), RewardParameters.POSITION_EMBEDDING))           // + (T, D)
                .add(embed(segments, RewardParameters.SEGMENT_EMBEDDING));                    // + (B, T, D)
        NDArray padMask = Scalars.mul(Scalars.add(real.neg(), 1f, scratch), MASKED, scratch)
                .reshape(b, 1, 1, t);                                                         // (B, 1, 1, T)
        NDArray scale = Scalars.of(scratch, attentionScale);                                 // ()

        for (int i = 0; i < config.nLayers(); i++) {
            NDArray h = layerNorm(x, RewardParameters.layer(i, "ln1.gamma"), RewardParameters.layer(i, "ln1.beta"));
            x = x.add(attention(h, i, padMask, scale, b, t));                                 // (B, T, D)
            NDArray h2 = layerNorm(x, RewardParameters.layer(i, "ln2.gamma"), RewardParameters.layer(i, "ln2.beta"));
            NDArray up = Activation.gelu(linear(h2, RewardParameters.layer(i, "mlp.up.weight"),
                    RewardParameters.layer(i, "mlp.up.bias")));                               // (B, T, dMlp)
            x = x.add(linear(up, RewardParameters.layer(i, "mlp.down.weight"),
                    RewardParameters.layer(i, "mlp.down.bias")));                             // (B, T, D)
        }
        NDArray z = layerNorm(x, RewardParameters.FINAL_NORM_GAMMA, RewardParameters.FINAL_NORM_BETA);
        NDArray features = maskedMean(z, completion, scratch).concat(maskedMean(z, real, scratch), 1); // (B, 2D)
        NDArray hidden = Activation.gelu(linear(features, RewardParameters.HIDDEN_WEIGHT,
                RewardParameters.HIDDEN_BIAS));                                               // (B, D)
        return linear(hidden, RewardParameters.OUT_WEIGHT, RewardParameters.OUT_BIAS).reshape(b); // (B)
    }

    private NDArray attention(NDArray h, int layer, NDArray padMask, NDArray scale, int batch, int steps) {
        int heads = config.nHeads();
        int hd = config.headDim();
        NDList qkv = linear(h, RewardParameters.layer(layer, "attn.qkv.weight"),
                RewardParameters.layer(layer, "attn.qkv.bias")).split(3, 2);                 // 3 x (B, T, D)
        NDArray q = qkv.get(0).reshape(batch, steps, heads, hd).transpose(0, 2, 1, 3);       // (B, H, T, hd)
        NDArray kT = qkv.get(1).reshape(batch, steps, heads, hd).transpose(0, 2, 3, 1);      // (B, H, hd, T)
        NDArray v = qkv.get(2).reshape(batch, steps, heads, hd).transpose(0, 2, 1, 3);       // (B, H, T, hd)
        NDArray scores = q.matMul(kT).mul(scale).add(padMask);                               // (B, H, T, T)
        NDArray context = scores.softmax(-1).matMul(v)                                        // (B, H, T, hd)
                .transpose(0, 2, 1, 3).reshape(batch, steps, heads * hd);                    // (B, T, D)
        return linear(context, RewardParameters.layer(layer, "attn.out.weight"),
                RewardParameters.layer(layer, "attn.out.bias"));
    }

    /** {@code (B, T, D), (B, T) -> (B, D)}: mean over the positions where {@code mask} is 1. */
    private static NDArray maskedMean(NDArray z, NDArray mask, NDManager scratch) {
        NDArray m = mask.expandDims(-1);                                                      // (B, T, 1)
        return z.mul(m).sum(new int[] {1}).div(Scalars.maximum(m.sum(new int[] {1}), 1f, scratch)); // (B, D)
    }

    private NDArray embed(NDArray ids, String name) {
        return Embedding.embedding(ids, p.get(name), SparseFormat.DENSE).singletonOrThrow();
    }

    private NDArray layerNorm(NDArray x, String gamma, String beta) {
        return LayerNorm.layerNorm(x, new Shape(config.dModel()), p.get(gamma), p.get(beta), LAYER_NORM_EPS)
                .singletonOrThrow();
    }

    private NDArray linear(NDArray x, String weight, String bias) {
        return Linear.linear(x, p.get(weight), p.get(bias)).singletonOrThrow();
    }
}
