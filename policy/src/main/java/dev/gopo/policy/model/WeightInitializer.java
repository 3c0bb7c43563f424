package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gopo.policy.PolicyConfig;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Seeded, engine-independent parameter initialisation. Values are drawn on the JVM with
 * {@link java.util.Random}, whose Gaussian algorithm is fixed by its specification, so the same
 * config and seed give bit-identical weights on any machine and device, no matter what other
 * threads do with the engine's global random generator.
 */
public final class WeightInitializer {

    private static final double STD = 0.02;

    private WeightInitializer() {}

    /** Creates every parameter of {@code config} in {@code manager}. */
    public static Map<String, NDArray> initialize(PolicyConfig config, NDManager manager) {
        ParameterLayout layout = new ParameterLayout(config);
        double residualStd = STD / Math.sqrt(2.0 * config.nLayers());
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (ParameterLayout.Entry e : layout.entries().values()) {
            int size = Math.toIntExact(e.shape().size());
            float[] data = new float[size];
            switch (e.init()) {
                case NORMAL -> fillNormal(data, STD, seedFor(config.seed(), e.name()));
                case NORMAL_RESIDUAL -> fillNormal(data, residualStd, seedFor(config.seed(), e.name()));
                case ONES -> java.util.Arrays.fill(data, 1f);
                case ZEROS -> { }
            }
            NDArray array = manager.create(data, e.shape());
            array.setName(e.name());
            tensors.put(e.name(), array);
        }
        return tensors;
    }

    /** One stream per parameter name, so adding a parameter does not reshuffle the others. */
    private static long seedFor(long seed, String name) {
        return seed * 0x9E3779B97F4A7C15L + name.hashCode();
    }

    private static void fillNormal(float[] data, double std, long seed) {
        Random random = new Random(seed);
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) (random.nextGaussian() * std);
        }
    }
}
