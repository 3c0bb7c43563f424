package dev.gopo.learner.bench;

import dev.gopo.policy.PolicyConfig;

/**
 * Floating-point operations of one learner step, counting matrix products only (2 FLOPs per multiply-add; layer norms,
 * GELU, softmax and AdamW are elementwise and left out). For a batch of {@code B} sequences padded to {@code T} tokens
 * the model runs on {@code P = B (T - 1)} input positions. Per position, one forward pass of a model of width
 * {@code d}, {@code L} layers, MLP width {@code m}, vocabulary {@code V} costs
 * <pre>
 *   F = L (2 (3d^2 + d^2 + 2 d m)  +  4 (T - 1) d)  +  2 d V
 *        qkv, out, MLP up + down     scores Q K^T and A V over all T - 1 keys (the causal mask is applied after)
 *                                                          tied output head
 * </pre>
 * i.e. 2 FLOPs per weight of every matrix product plus attention. Backward costs about twice the forward, so one step
 * is the policy's forward and backward ({@code 3F}) plus the frozen reference's forward ({@code F}):
 * {@code stepFlops = 4 F P}.
 */
public record StepFlops(PolicyConfig model, int sequences, int paddedLength) {
    public StepFlops {
        if (sequences < 1 || paddedLength < 2) {
            throw new IllegalArgumentException("need at least one sequence of at least 2 tokens, got " + sequences + " x " + paddedLength);
        }
    }

    /** Input positions of the step: {@code B (T - 1)}. */
    public long positions() {
        return (long) sequences * (paddedLength - 1);
    }

    /** {@code F}: forward FLOPs per input position. */
    public double forwardPerPosition() {
        double d = model.dModel();
        double keys = paddedLength - 1;
        double perLayer = 2 * (3 * d * d + d * d + 2 * d * model.dMlp()) + 4 * keys * d;
        return model.nLayers() * perLayer + 2 * d * model.vocabSize();
    }

    /** {@code 4 F P}: policy forward + backward and reference forward. */
    public double perStep() {
        return 4 * forwardPerPosition() * positions();
    }
}
