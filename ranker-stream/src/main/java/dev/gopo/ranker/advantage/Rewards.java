package dev.gopo.ranker.advantage;

/** Checks shared by every estimator. */
final class Rewards {
    private Rewards() {
    }

    /** Rejects an empty group and non-finite rewards: a NaN has no place in an order. */
    static void requireValid(double[] rewards) {
        if (rewards.length == 0) {
            throw new IllegalArgumentException("a group needs at least one reward");
        }
        for (int i = 0; i < rewards.length; i++) {
            if (!Double.isFinite(rewards[i])) {
                throw new IllegalArgumentException("reward " + i + " is " + rewards[i] + "; rewards must be finite");
            }
        }
    }

    /** Mean, accumulated as a sum of {@code r_i / G} so finite rewards cannot overflow it. */
    static double mean(double[] rewards) {
        double sum = 0;
        for (double r : rewards) {
            sum += r / rewards.length;
        }
        return sum;
    }

    /** Fails loudly instead of emitting an infinite or NaN advantage. */
    static double[] requireFinite(double[] advantages, String estimator) {
        for (double a : advantages) {
            if (!Double.isFinite(a)) {
                throw new ArithmeticException(estimator + " advantages overflow: the rewards are finite but too large in magnitude (|r| near 1e308)");
            }
        }
        return advantages;
    }
}
