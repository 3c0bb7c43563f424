package dev.gopo.learner.bench;

import dev.gopo.platform.bench.Spread;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * What one DJL (PyTorch) matrix product reaches on this machine with the learner's thread settings: the largest
 * product of a step, {@code (rows x d) . (d x m)} (the MLP up-projection over all positions), repeated and timed.
 * It is the practical peak that the learner's FLOP/s are compared with.
 */
final class MatmulPeak {
    private MatmulPeak() {
    }

    /** GFLOP/s of the median of {@code repeats} timed products, after {@code warmup} untimed ones. */
    static double gflops(int rows, int inner, int cols, int warmup, int repeats) {
        double[] seconds = new double[repeats];
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray a = manager.randomUniform(-1f, 1f, new Shape(rows, inner));
            NDArray b = manager.randomUniform(-1f, 1f, new Shape(inner, cols));
            for (int i = 0; i < warmup + repeats; i++) {
                try (NDManager scratch = manager.newSubManager()) {
                    long t0 = System.nanoTime();
                    NDArray c = a.matMul(b);
                    c.attach(scratch);   // PyTorch's CPU ops are eager: the product is done when matMul returns
                    if (i >= warmup) {
                        seconds[i - warmup] = (System.nanoTime() - t0) / 1e9;
                    }
                }
            }
        }
        double flops = 2.0 * rows * inner * cols;
        return flops / Spread.of(seconds).median() / 1e9;
    }
}
