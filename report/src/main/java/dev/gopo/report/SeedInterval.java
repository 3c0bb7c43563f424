package dev.gopo.report;

/**
 * The mean of one measure over a study's seeds and its 95% Student-t interval:
 *
 * <pre>
 *   mean ± t_{0.975, n−1} · s / √n,   s² = Σ (x_i − mean)² / (n − 1)
 * </pre>
 *
 * <p>The seeds are few (3 to 5), so the t quantile, not the normal 1.96, sets the width: with 3 seeds
 * it is 4.30. One seed has no spread to estimate, so {@code low == high == mean} and
 * {@link #hasBand()} is false.
 *
 * @param seeds how many seeds the mean is over
 */
record SeedInterval(double mean, double low, double high, int seeds) {

    /** t_{0.975, df} for df = 1 … 30 (df = index + 1), to four decimals. */
    private static final double[] T975 = {12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622,
        2.2281, 2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739, 2.0687,
        2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423};
    private static final double Z975 = 1.959963984540054;

    /** @throws IllegalArgumentException when {@code values} is empty */
    static SeedInterval of(double... values) {
        int n = values.length;
        if (n == 0) {
            throw new IllegalArgumentException("no values to average");
        }
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / n;
        if (n == 1) {
            return new SeedInterval(mean, mean, mean, 1);
        }
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        double halfWidth = t975(n - 1) * Math.sqrt(squares / (n - 1) / n);
        return new SeedInterval(mean, mean - halfWidth, mean + halfWidth, n);
    }

    /** Whether there is an interval to draw (two seeds or more). */
    boolean hasBand() {
        return seeds > 1;
    }

    /**
     * The 0.975 quantile of Student's t with {@code df} degrees of freedom: a table up to 30, above it
     * the Cornish-Fisher expansion around the normal quantile z (Abramowitz and Stegun 26.7.5), whose
     * first three terms are within 1e-5 of the exact value from df = 30 on.
     */
    static double t975(int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be at least 1, got " + df);
        }
        if (df <= T975.length) {
            return T975[df - 1];
        }
        double z = Z975;
        double z3 = z * z * z;
        double z5 = z3 * z * z;
        double z7 = z5 * z * z;
        return z + (z3 + z) / (4.0 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96.0 * df * df)
                + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384.0 * df * df * df);
    }
}
