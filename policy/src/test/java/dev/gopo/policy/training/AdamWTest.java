package dev.gopo.policy.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Two AdamW updates by hand, lr 0.1, betas 0.9 / 0.999, eps 1e-8, weight decay 0.1; "w" is a
 * 1x1 matrix (decayed), "b" a 1-vector (not decayed); both start at 1.
 *
 * <pre>
 * step 1, g = 0.5:  m = 0.05, v = 0.00025, m^ = 0.5, v^ = 0.25, update = 0.1 * 0.5 / 0.5 = 0.1
 *   b = 1 - 0.1 = 0.9;   w = 1 * (1 - 0.1 * 0.1) - 0.1 = 0.89
 * step 2, g = -0.5: m = 0.045 - 0.05 = -0.005, v = 0.00024975 + 0.00025 = 0.00049975
 *   m^ = -0.005 / 0.19 = -0.0263158, v^ = 0.00049975 / 0.001999 = 0.25, update = 0.1 * -0.0263158 / 0.5 = -0.00526316
 *   b = 0.9 + 0.00526316 = 0.90526316;  w = 0.89 * 0.99 + 0.00526316 = 0.88636316
 * </pre>
 */
class AdamWTest {

    private static final AdamWConfig CONFIG = new AdamWConfig(0.1, 0, 0.9, 0.999, 1e-8, 0.1, Double.POSITIVE_INFINITY);

    private static Map<String, NDArray> parameters(NDManager manager) {
        Map<String, NDArray> p = new LinkedHashMap<>();
        p.put("w", manager.create(new float[] {1f}, new Shape(1, 1)));
        p.put("b", manager.create(new float[] {1f}, new Shape(1)));
        return p;
    }

    private static double update(AdamW adamW, Map<String, NDArray> params, float gradient, NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            grads.put("w", scratch.create(new float[] {gradient}, new Shape(1, 1)));
            grads.put("b", scratch.create(new float[] {gradient}, new Shape(1)));
            return adamW.update(params, grads, scratch);
        }
    }

    @Test
    void twoHandComputedUpdates() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> params = parameters(manager);
            try (AdamW adamW = new AdamW(CONFIG, params, manager)) {
                assertThat(update(adamW, params, 0.5f, manager)).isEqualTo(0.1);
                assertThat(params.get("b").getFloat()).isCloseTo(0.9f, within(1e-6f));
                assertThat(params.get("w").getFloat()).isCloseTo(0.89f, within(1e-6f));
                update(adamW, params, -0.5f, manager);
                assertThat(params.get("b").getFloat()).isCloseTo(0.90526316f, within(1e-6f));
                assertThat(params.get("w").getFloat()).isCloseTo(0.88636316f, within(1e-6f));
                assertThat(adamW.step()).isEqualTo(2);
            }
        }
    }

    @Test
    void savedStateRestoresTheNextUpdateExactly(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("optimizer.bin");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> original = parameters(manager);
            Map<String, NDArray> restored = parameters(manager);
            try (AdamW first = new AdamW(CONFIG, original, manager);
                 AdamW second = new AdamW(CONFIG, restored, manager)) {
                update(first, original, 0.5f, manager);
                update(second, restored, 0.5f, manager); // bring the weights to the same point
                first.saveState(file);
                try (AdamW fresh = new AdamW(CONFIG, restored, manager)) {
                    fresh.loadState(file);
                    assertThat(fresh.step()).isEqualTo(1);
                    update(first, original, -0.3f, manager);
                    update(fresh, restored, -0.3f, manager);
                    assertThat(restored.get("w").getFloat()).isEqualTo(original.get("w").getFloat());
                    assertThat(restored.get("b").getFloat()).isEqualTo(original.get("b").getFloat());
                }
            }
        }
    }

    @Test
    void loadingStateOfAnotherShapeFails(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("optimizer.bin");
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Map<String, NDArray> params = parameters(manager);
            Map<String, NDArray> other = Map.of("w", manager.zeros(new Shape(2, 2)));
            try (AdamW a = new AdamW(CONFIG, params, manager); AdamW b = new AdamW(CONFIG, other, manager)) {
                a.saveState(file);
                assertThatThrownBy(() -> b.loadState(file)).hasMessageContaining("different model shape");
            }
        }
    }

    @Test
    void warmupIsLinearThenConstant() {
        WarmupSchedule schedule = new WarmupSchedule(1e-3, 4);
        assertThat(schedule.lr(1)).isCloseTo(2.5e-4, within(1e-12));
        assertThat(schedule.lr(2)).isCloseTo(5e-4, within(1e-12));
        assertThat(schedule.lr(4)).isEqualTo(1e-3);
        assertThat(schedule.lr(1000)).isEqualTo(1e-3);
        assertThat(new WarmupSchedule(1e-3, 0).lr(1)).isEqualTo(1e-3);
        assertThatThrownBy(() -> new WarmupSchedule(0, 1)).hasMessageContaining("peakLr");
    }

    @Test
    void globalNormClippingScalesAllGradientsAndReturnsThePreClipNorm() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {3f});
            NDArray b = manager.create(new float[] {0f, 4f});
            assertThat(GradientClipping.clipGlobalNorm(List.of(a, b), 1.0)).isCloseTo(5.0, within(1e-6));
            assertThat(a.getFloat()).isCloseTo(0.6f, within(1e-6f));
            assertThat(b.toFloatArray()[1]).isCloseTo(0.8f, within(1e-6f));
            assertThat(GradientClipping.clipGlobalNorm(List.of(a, b), 10.0)).isCloseTo(1.0, within(1e-6));
            assertThat(a.getFloat()).isCloseTo(0.6f, within(1e-6f));
        }
    }

    /**
     * Squares summed in double: (3e19)^2 + (4e19)^2 = 2.5e39 exceeds float32's 3.4e38, which made a
     * finite gradient report an infinite norm. The norm is 5e19, and clipping to 1 gives (0.6, 0.8).
     * And a 1 next to 100,000 gradients of 0.01: norm sqrt(1 + 100000 * 0.01^2) = sqrt(11) = 3.3166...,
     * asserted to 1e-9, which a float32 sum (about 7 digits) cannot meet.
     */
    @Test
    void globalNormIsAccumulatedInDouble() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.create(new float[] {3e19f, 4e19f});
            assertThat(GradientClipping.clipGlobalNorm(List.of(a), 1.0)).isCloseTo(5e19, within(5e19 * 1e-6));
            assertThat(a.toFloatArray()).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));

            float[] many = new float[100_000];
            java.util.Arrays.fill(many, 1e-2f);
            NDArray big = manager.create(new float[] {1f});
            NDArray small = manager.create(many);
            double expected = Math.sqrt(1 + many.length * (double) 1e-2f * 1e-2f);
            assertThat(GradientClipping.clipGlobalNorm(List.of(big, small), Double.POSITIVE_INFINITY))
                    .isCloseTo(expected, within(1e-9));
        }
    }
}
