package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * Keys and values of every attention layer for the positions already processed, so that each
 * new token costs one position of compute instead of the whole prefix.
 *
 * <p>Keys are kept transposed, {@code (B, H, headDim, L)}, so that {@code q.matMul(keys)} needs
 * no transpose of a cached array; values are {@code (B, H, L, headDim)}. The cache owns a child
 * manager: appending replaces the old arrays and frees them at once, so memory stays
 * {@code O(L)} rather than growing with every step. Not thread-safe: one cache per sampling call.
 */
public final class KvCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray[] keysT;
    private final NDArray[] values;

    /** An empty cache for {@code nLayers} layers whose arrays live in a child of {@code parent}. */
    public KvCache(NDManager parent, int nLayers) {
        this.manager = parent.newSubManager();
        this.keysT = new NDArray[nLayers];
        this.values = new NDArray[nLayers];
    }

    /** Number of positions cached. */
    public int length() {
        return keysT[0] == null ? 0 : (int) keysT[0].getShape().get(3);
    }

    /** Batch size of the cached sequences, 0 when empty. */
    public int batchSize() {
        return keysT[0] == null ? 0 : (int) keysT[0].getShape().get(0);
    }

    /**
     * Appends the new positions of one layer and returns the full keys and values.
     *
     * @param newKeysT   {@code (B, H, headDim, S)}
     * @param newValues  {@code (B, H, S, headDim)}
     * @return {@code [keysT (B, H, headDim, L+S), values (B, H, L+S, headDim)]}, owned by the cache
     */
    NDArray[] append(int layer, NDArray newKeysT, NDArray newValues) {
        keysT[layer] = extend(keysT[layer], newKeysT, 3);
        values[layer] = extend(values[layer], newValues, 2);
        return new NDArray[] {keysT[layer], values[layer]};
    }

    /**
     * Repeats every row of the cache {@code copies} times in place along the batch axis (row
     * {@code b} becomes rows {@code b * copies .. b * copies + copies - 1}): a group's prompt is
     * processed once and then shared by all G samples.
     */
    public void repeatBatch(int copies) {
        if (batchSize() == 0) {
            throw new IllegalStateException("repeatBatch needs a filled cache: run the prompt through it first");
        }
        for (int i = 0; i < keysT.length; i++) {
            keysT[i] = replace(keysT[i], keysT[i].repeat(0, copies));
            values[i] = replace(values[i], values[i].repeat(0, copies));
        }
    }

    private NDArray extend(NDArray old, NDArray added, int axis) {
        if (old == null) {
            // Copy: the new positions may be a view of a step-scoped activation.
            NDArray own = added.duplicate();
            own.attach(manager);
            return own;
        }
        return replace(old, old.concat(added, axis));
    }

    private NDArray replace(NDArray old, NDArray fresh) {
        fresh.attach(manager);
        old.close();
        return fresh;
    }

    @Override
    public void close() {
        manager.close();
    }
}
