package dev.gopo.tasks.judge;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Percentile bootstrap confidence interval of a mean (Efron): resample the {@code n} outcomes
 * with replacement {@code R} times, take each resample's mean, and report the
 * {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of those means.
 *
 * <p>{@link #clusteredMeanInterval} is the cluster (block) bootstrap for outcomes that come in
 * groups, such as several samples of one prompt (Davison and Hinkley, <i>Bootstrap Methods and
 * their Application</i>, 1997, section 3.8): whole clusters are resampled, so outcomes of one
 * cluster, which share the prompt and are correlated, are never treated as independent evidence.
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
        // One outcome per cluster: the cluster bootstrap draws exactly the plain bootstrap's resamples.
        double[][] singletons = new double[values.length][];
        for (int i = 0; i < values.length; i++) {
            singletons[i] = new double[] {values[i]};
        }
        return clusteredMeanInterval(singletons, resamples, level, seed);
    }

    /**
     * Cluster bootstrap interval of the mean of all outcomes. Each resample draws {@code C}
     * clusters with replacement from the {@code C} given and keeps every outcome of a drawn
     * cluster; its statistic is the pooled mean
     * <pre>
     * mean* = (sum over drawn clusters c of sum_j x_cj) / (sum over drawn clusters c of n_c)
     * </pre>
     * which for equal cluster sizes is the mean of the drawn clusters' means. With one outcome per
     * cluster this is {@link #meanInterval} of those outcomes, draw for draw (same seed, same interval).
     *
     * @param clusters  the outcomes grouped by cluster; at least one cluster, none empty
     * @param resamples number of bootstrap resamples, >= 1
     * @param level     coverage in (0, 1), e.g. 0.95
     * @param seed      seed of the resampling; the same arguments give the same interval
     */
    public static Interval clusteredMeanInterval(double[][] clusters, int resamples, double level, long seed) {
        if (clusters.length == 0) {
            throw new IllegalArgumentException("cannot bootstrap an empty sample");
        }
        double[] sums = new double[clusters.length];
        int[] sizes = new int[clusters.length];
        for (int c = 0; c < clusters.length; c++) {
            if (clusters[c].length == 0) {
                throw new IllegalArgumentException("cluster " + c + " is empty: every cluster needs at least one outcome");
            }
            for (double x : clusters[c]) {
                sums[c] += x;
            }
            sizes[c] = clusters[c].length;
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level + " (0.95 for a 95% interval)");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int k = clusters.length;
        double[] means = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double sum = 0;
            long count = 0;
            for (int i = 0; i < k; i++) {
                int c = random.nextInt(k);
                sum += sums[c];
                count += sizes[c];
            }
            means[r] = sum / count;
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
