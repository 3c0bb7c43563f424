package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;

/**
 * Arithmetic between an NDArray and a Java number that is safe when autograd records it. Use
 * these instead of {@code x.mul(2f)}, {@code x.div(n)}, {@code x.muli(scale)}, {@code x.sub(1)},
 * {@code x.maximum(1f)}, {@code x.clip(lo, hi)} anywhere a forward pass could be differentiated.
 *
 * <p><b>Why.</b> In DJL 0.35.1 (PyTorch engine, CPU) {@code NDArray.mul(Number)} and its
 * relatives ({@code div}, {@code add}, {@code sub}, the in-place {@code muli}/{@code divi}/
 * {@code addi}/{@code subi}, {@code maximum}, {@code minimum}) wrap the number in a 0-dim tensor
 * that points into a Java direct {@code ByteBuffer} without copying it, run the op and close the
 * wrapper at once; closing drops the only reference to the buffer. PyTorch's autograd saves that
 * 0-dim tensor for the backward pass (the derivative of {@code x * s} is {@code s}), so when the
 * JVM collects the buffer between forward and backward, backward multiplies by whatever the
 * allocator has since written there: gradients of 1e30 or 1e-45, or a non-finite norm that looked
 * like a "transient PyTorch fault". ({@code clip(Number, Number)} keeps its two bound tensors
 * attached to the array's manager, so it survives as long as that manager does; {@link #clip} is
 * here so that call sites need not know the difference.)
 *
 * <p><b>The rule.</b> A scalar that takes part in a recorded graph is an NDArray created in a
 * manager that stays open until after backward: the per-step child manager (the manager of the
 * step's token array, into which the whole forward pass is attached). The {@code owner} parameter
 * of every method is that manager; the scalars are freed when it closes. Do not pass a long-lived
 * manager (the model's): each call would add an array to it until it closes.
 *
 * <p>{@code ScalarArithmeticGuardTest} fails the build when {@code (Number)} arithmetic appears in
 * the main sources of the policy and tasks modules outside its short allow-list, and
 * {@code ScalarLifetimeTest} reproduces the fault (GC plus direct-buffer churn between forward and
 * backward) against the real model and loss.
 */
public final class Scalars {

    private Scalars() {}

    /** A 0-dim float32 array holding {@code value}, on {@code owner}'s device and owned by it. */
    public static NDArray of(NDManager owner, float value) {
        return owner.create(value);
    }

    /** A 0-dim int32 array holding {@code value} (for index arithmetic on int arrays), owned by {@code owner}. */
    public static NDArray ofInt(NDManager owner, int value) {
        return owner.create(value);
    }

    /** {@code x * s}; the scalar is owned by {@code owner}. */
    public static NDArray mul(NDArray x, float s, NDManager owner) {
        return x.mul(of(owner, s));
    }

    /** {@code x / s}; the scalar is owned by {@code owner}. */
    public static NDArray div(NDArray x, float s, NDManager owner) {
        return x.div(of(owner, s));
    }

    /** {@code x + s}; the scalar is owned by {@code owner}. */
    public static NDArray add(NDArray x, float s, NDManager owner) {
        return x.add(of(owner, s));
    }

    /** {@code x - s}; the scalar is owned by {@code owner}. */
    public static NDArray sub(NDArray x, float s, NDManager owner) {
        return x.sub(of(owner, s));
    }

    /** In-place {@code x *= s}, returns {@code x}; the scalar is owned by {@code owner}. */
    public static NDArray muli(NDArray x, float s, NDManager owner) {
        return x.muli(of(owner, s));
    }

    /** In-place {@code x += s}, returns {@code x}; the scalar is owned by {@code owner}. */
    public static NDArray addi(NDArray x, float s, NDManager owner) {
        return x.addi(of(owner, s));
    }

    /** Element-wise {@code max(x, s)}; the scalar is owned by {@code owner}. */
    public static NDArray maximum(NDArray x, float s, NDManager owner) {
        return x.maximum(of(owner, s));
    }

    /** Element-wise {@code min(x, s)}; the scalar is owned by {@code owner}. */
    public static NDArray minimum(NDArray x, float s, NDManager owner) {
        return x.minimum(of(owner, s));
    }

    /**
     * {@code clamp(x, low, high)} with PyTorch's clamp semantics, gradient included: the gradient
     * passes where {@code low <= x <= high} (bounds inclusive) and is zero outside; NaN stays NaN.
     * Built from comparisons and {@code where}, so it works on arrays of any manager; the bounds
     * are owned by {@code owner}.
     *
     * @throws IllegalArgumentException when {@code low > high}
     */
    public static NDArray clip(NDArray x, float low, float high, NDManager owner) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("clip bounds must satisfy low <= high, got [" + low + ", " + high + "]");
        }
        NDArray lo = of(owner, low);
        NDArray hi = of(owner, high);
        // DJL's where broadcasts only the second value, so x comes first; "not (x > hi)" keeps NaN as NaN.
        NDArray belowOrInside = NDArrays.where(x.gt(hi).logicalNot(), x, hi);
        return NDArrays.where(belowOrInside.lt(lo).logicalNot(), belowOrInside, lo);
    }
}
