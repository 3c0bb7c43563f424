package dev.gopo.tasks.optim;

import dev.gopo.tasks.Randoms;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Batches drawn from repeated passes over a data set, each pass in a fresh seeded shuffle; a
 * batch may span the end of one pass and the start of the next. The same seed gives the same
 * sequence of batches.
 */
public final class ShuffledBatches<T> {

    private final List<T> order;
    private final SplittableRandom random;
    private int cursor;

    /** @throws IllegalArgumentException when {@code items} is empty */
    public ShuffledBatches(List<T> items, long seed) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("nothing to draw batches from");
        }
        this.order = new ArrayList<>(items);
        this.random = new SplittableRandom(seed);
        this.cursor = order.size();
    }

    /** The next {@code size} items. */
    public List<T> next(int size) {
        List<T> batch = new ArrayList<>(size);
        while (batch.size() < size) {
            if (cursor == order.size()) {
                Randoms.shuffle(order, random);
                cursor = 0;
            }
            batch.add(order.get(cursor++));
        }
        return batch;
    }
}
