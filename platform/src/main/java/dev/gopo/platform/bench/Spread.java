package dev.gopo.platform.bench;

import java.util.Arrays;

/**
 * Median and spread of a few repeated measurements (benchmark repeats; shared by {@code gopo bench-learner}
 * and {@code gopo bench-generator}).
 *
 * <p>Quartiles use linear interpolation between order statistics (Hyndman &amp; Fan type 7, the
 * default of R and NumPy): for sorted {@code x[0..n-1]} the p-quantile is at position
 * {@code h = (n - 1) p}, {@code q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h])}.
 * With few repeats (3 to 7) min and max say more than the IQR, so both are kept.
 */
public record Spread(int n, double median, double q1, double q3, double min, double max) {

    public static Spread of(double... values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        double[] x = values.clone();
        Arrays.sort(x);
        return new Spread(x.length, quantile(x, 0.5), quantile(x, 0.25), quantile(x, 0.75), x[0], x[x.length - 1]);
    }

    /** Type-7 quantile of sorted {@code x}. */
    public static double quantile(double[] x, double p) {
        double h = (x.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(lo + 1, x.length - 1);
        return x[lo] + (h - lo) * (x[hi] - x[lo]);
    }

    public double iqr() {
        return q3 - q1;
    }

    /** e.g. {@code "201.3 [min 198.0, max 240.1; IQR 5.2]"}. */
    public String format() {
        return String.format("%.1f [min %.1f, max %.1f; IQR %.1f]", median, min, max, iqr());
    }
}
