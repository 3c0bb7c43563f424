package dev.gopo.ranker.advantage;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Ranks within a group, rank 1 = highest reward, rank G = lowest.
 *
 * <p>Two tie rules:
 * <ul>
 *   <li>{@link #average}: tied rewards share the mean of the positions they occupy
 *       (rewards 5, 3, 3, 1 get ranks 1, 2.5, 2.5, 4). The sum of ranks is always
 *       {@code G (G + 1) / 2}, so GOPO advantages keep mean 0, and equal rewards get equal ranks.</li>
 *   <li>{@link #byIndex}: every completion gets a distinct rank; among tied rewards the lower
 *       index ranks higher. This is a deterministic version of the reference code's
 *       argsort-of-argsort, whose order among ties is whatever the sort happened to produce.</li>
 * </ul>
 * Rewards are compared numerically: {@code -0.0} and {@code 0.0} are a tie.
 */
public final class Ranks {
    private Ranks() {
    }

    /** Average ranks: ties share the mean of their positions. */
    public static double[] average(double[] rewards) {
        Integer[] order = descending(rewards);
        double[] ranks = new double[rewards.length];
        int start = 0;
        while (start < order.length) {
            int end = start;
            while (end + 1 < order.length && rewards[order[end + 1]] == rewards[order[start]]) {
                end++;
            }
            // positions start..end (0-based) hold tied rewards: ranks start+1..end+1, mean (start+end)/2 + 1
            double rank = (start + end) / 2.0 + 1;
            for (int p = start; p <= end; p++) {
                ranks[order[p]] = rank;
            }
            start = end + 1;
        }
        return ranks;
    }

    /** Distinct ranks 1..G; ties broken by index, lower index first. */
    public static double[] byIndex(double[] rewards) {
        Integer[] order = descending(rewards);
        double[] ranks = new double[rewards.length];
        for (int p = 0; p < order.length; p++) {
            ranks[order[p]] = p + 1;
        }
        return ranks;
    }

    /** Indices sorted by reward, highest first, ties by ascending index (the sort is stable). */
    private static Integer[] descending(double[] rewards) {
        Integer[] order = new Integer[rewards.length];
        Arrays.setAll(order, i -> i);
        // "+ 0.0" turns -0.0 into 0.0: Double.compare would otherwise order the two and split a tie.
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> rewards[i] + 0.0).reversed());
        return order;
    }
}
