package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.gopo.policy.io.AtomicFiles;
import dev.gopo.policy.io.Json;
import dev.gopo.policy.io.TensorFile;
import dev.gopo.policy.model.Scalars;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, arXiv 1711.05101) on NDArrays, with state that can be saved and
 * restored exactly. For update {@code t} (1-based) of parameter {@code p} with gradient {@code g}:
 * <pre>
 * m_t = beta1 m_{t-1} + (1 - beta1) g
 * v_t = beta2 v_{t-1} + (1 - beta2) g^2
 * p  <- p - lr_t * weightDecay * p                                 (decoupled; matrices only)
 * p  <- p - lr_t * (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + eps)
 * </pre>
 * with {@code lr_t} from the {@link WarmupSchedule}. Decay is skipped for 1-D tensors (biases,
 * LayerNorm gain and shift), the usual practice. The moments live in a child manager of the
 * parameters' manager, on the same device.
 *
 * <p>The update runs after backward, outside autograd, so a {@code (Number)} scalar could not be
 * misread here; the scalars are still arrays in {@code scratch} ({@link Scalars}) so that one rule
 * holds everywhere and the guard test needs no exception.
 */
public final class AdamW implements AutoCloseable {

    private static final String FORMAT = "adamw-v1";

    /** JSON metadata stored in the state file. */
    record StateHeader(String format, long step) {}

    private final AdamWConfig config;
    private final WarmupSchedule schedule;
    private final NDManager stateManager;
    private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
    private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
    private long step;

    /** Zero moments for every tensor of {@code parameters}, held in a child of {@code parent}. */
    public AdamW(AdamWConfig config, Map<String, NDArray> parameters, NDManager parent) {
        this.config = config;
        this.schedule = config.schedule();
        this.stateManager = parent.newSubManager();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            firstMoments.put(e.getKey(), stateManager.zeros(e.getValue().getShape()));
            secondMoments.put(e.getKey(), stateManager.zeros(e.getValue().getShape()));
        }
    }

    /**
     * Applies one update in place to {@code parameters}.
     *
     * @param gradients already clipped, by parameter name, attached to {@code scratch}
     * @param scratch   the per-step manager that receives every temporary
     * @return the learning rate used
     */
    public double update(Map<String, NDArray> parameters, Map<String, NDArray> gradients, NDManager scratch) {
        long t = step + 1;
        double lr = schedule.lr(t);
        float b1 = (float) config.beta1();
        float b2 = (float) config.beta2();
        float biasCorrection1 = (float) (1 - Math.pow(config.beta1(), t));
        float biasCorrection2 = (float) (1 - Math.pow(config.beta2(), t));
        float decayFactor = (float) (1 - lr * config.weightDecay());
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            String name = e.getKey();
            NDArray g = gradients.get(name);
            NDArray m = firstMoments.get(name);
            NDArray v = secondMoments.get(name);
            if (g == null || m == null) {
                throw new IllegalArgumentException("no gradient or optimizer state for parameter " + name);
            }
            Scalars.muli(m, b1, scratch).addi(Scalars.mul(g, 1 - b1, scratch));
            Scalars.muli(v, b2, scratch).addi(Scalars.muli(g.square(), 1 - b2, scratch));
            NDArray mHat = own(Scalars.div(m, biasCorrection1, scratch), scratch);
            NDArray denominator = Scalars.addi(own(Scalars.div(v, biasCorrection2, scratch), scratch).sqrt(),
                    (float) config.eps(), scratch);
            NDArray delta = Scalars.muli(mHat.divi(denominator), (float) lr, scratch);
            // A detached view shares storage, so the in-place update is legal even if autograd is on.
            NDArray p = own(e.getValue().stopGradient(), scratch);
            if (config.weightDecay() > 0 && p.getShape().dimension() >= 2) {
                Scalars.muli(p, decayFactor, scratch);
            }
            p.subi(delta);
        }
        step = t;
        return lr;
    }

    /** Number of updates applied so far. */
    public long step() {
        return step;
    }

    /** Learning rate the next update will use. */
    public double nextLr() {
        return schedule.lr(step + 1);
    }

    /** Writes step count and both moments of every parameter (atomically). */
    public void saveState(Path file) throws IOException {
        writeState(file, step, stateTensors(firstMoments, secondMoments));
    }

    /**
     * A copy of the step count and both moments, in {@code manager}, taken between updates so that it can be written
     * ({@link State#save}, the same file as {@link #saveState}) while the next updates change the moments.
     */
    public State copyState(NDManager manager) {
        Map<String, NDArray> first = new LinkedHashMap<>();
        Map<String, NDArray> second = new LinkedHashMap<>();
        firstMoments.forEach((name, m) -> first.put(name, copy(m, manager)));
        secondMoments.forEach((name, v) -> second.put(name, copy(v, manager)));
        return new State(step, stateTensors(first, second));
    }

    /** A copy of the optimizer state made by {@link #copyState}; its arrays belong to the manager given there. */
    public static final class State {
        private final long step;
        private final Map<String, NDArray> tensors;

        private State(long step, Map<String, NDArray> tensors) {
            this.step = step;
            this.tensors = tensors;
        }

        /** Number of updates the copied moments had seen. */
        public long step() {
            return step;
        }

        /** Writes the copy as {@link AdamW#saveState} would have written it when the copy was taken. */
        public void save(Path file) throws IOException {
            writeState(file, step, tensors);
        }
    }

    private static NDArray copy(NDArray array, NDManager manager) {
        NDArray copy = array.duplicate();
        copy.attach(manager);
        return copy;
    }

    private static Map<String, NDArray> stateTensors(Map<String, NDArray> first, Map<String, NDArray> second) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        first.forEach((name, m) -> tensors.put("m/" + name, m));
        second.forEach((name, v) -> tensors.put("v/" + name, v));
        return tensors;
    }

    private static void writeState(Path file, long step, Map<String, NDArray> tensors) throws IOException {
        String header = Json.toString(new StateHeader(FORMAT, step));
        AtomicFiles.write(file, out -> TensorFile.write(out, header, tensors));
    }

    /**
     * Replaces the state with one written by {@link #saveState}.
     *
     * @throws IOException when the file is unreadable or was written for other parameters
     */
    public void loadState(Path file) throws IOException {
        NDManager loading = stateManager.newSubManager();
        try {
            TensorFile.Contents contents = TensorFile.read(file, loading);
            StateHeader header = Json.fromString(contents.metadata(), StateHeader.class);
            if (!FORMAT.equals(header.format()) || header.step() < 0) {
                throw new IOException(file + " is not an AdamW state (" + contents.metadata() + ")");
            }
            Map<String, NDArray> newFirst = pick(contents.tensors(), "m/", firstMoments, file);
            Map<String, NDArray> newSecond = pick(contents.tensors(), "v/", secondMoments, file);
            if (contents.tensors().size() != newFirst.size() + newSecond.size()) {
                throw new IOException(file + " holds tensors for parameters this model does not have");
            }
            replace(firstMoments, newFirst);
            replace(secondMoments, newSecond);
            step = header.step();
        } finally {
            loading.close();
        }
    }

    @Override
    public void close() {
        stateManager.close();
    }

    private Map<String, NDArray> pick(Map<String, NDArray> loaded, String prefix, Map<String, NDArray> current,
                                      Path file) throws IOException {
        Map<String, NDArray> picked = new LinkedHashMap<>();
        for (Map.Entry<String, NDArray> e : current.entrySet()) {
            NDArray array = loaded.get(prefix + e.getKey());
            if (array == null || !array.getShape().equals(e.getValue().getShape())) {
                throw new IOException(file + " has no state of shape " + e.getValue().getShape() + " for "
                        + prefix + e.getKey() + ": it belongs to a different model shape");
            }
            picked.put(e.getKey(), array);
        }
        return picked;
    }

    private void replace(Map<String, NDArray> target, Map<String, NDArray> fresh) {
        for (Map.Entry<String, NDArray> e : fresh.entrySet()) {
            e.getValue().attach(stateManager);
            target.put(e.getKey(), e.getValue()).close();
        }
    }

    private static NDArray own(NDArray array, NDManager manager) {
        array.attach(manager);
        return array;
    }
}
