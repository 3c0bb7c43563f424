package dev.gopo.tasks;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Seeded helpers on {@link SplittableRandom}, which the JDK's collection utilities do not accept. */
public final class Randoms {

    private Randoms() {}

    /** Fisher-Yates shuffle in place. */
    public static <T> void shuffle(List<T> list, SplittableRandom random) {
        for (int i = list.size() - 1; i > 0; i--) {
            Collections.swap(list, i, random.nextInt(i + 1));
        }
    }

    /** A uniformly chosen element. */
    public static <T> T pick(List<T> list, SplittableRandom random) {
        if (list.isEmpty()) {
            throw new IllegalArgumentException("cannot pick from an empty list");
        }
        return list.get(random.nextInt(list.size()));
    }
}
