package dev.gopo.tasks.judge;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence interval of a mean (Efron): resample the {@code n} outcomes
 * with replacement {@code R} times, take each resample's mean, and report the
 * {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of those means.
 */
public final class Bootstrap {

    /** Resamples used by default; enough for stable 95% bounds at two decimals. */
    public static final int DEFAULT_RESAMPLES = 2000;

    private Bootstrap() {}

    /** A closed interval {@code [low, high]}. */
    public record Interval(double low, double high) {
        public boolean contains(double x) {
            return x >= low && x <= high;
        }
    }

    /**
     * @param values    the outcomes, at least one
     * @param resamples number of bootstrap resamples, >= 1
     * @param level     coverage in (0, 1), e.g. 0.95
     * @param seed      seed of the resampling; the same arguments give the same interval
     */
    public static Interval meanInterval(double[] values, int resamples, double level, long seed) {
        if (values.length == 0) {
            throw new IllegalArgumentException("cannot bootstrap an empty sample");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level + " (0.95 for a 95% interval)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int n = values.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += values[random.nextInt(n)];
            }
            means[r] = sum / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Interval(quantile(means, alpha), quantile(means, 1 - alpha));
    }

    /** Linear-interpolation quantile of sorted values. */
    static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
    }
}
