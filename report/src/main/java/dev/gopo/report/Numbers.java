package dev.gopo.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the page writes numbers: {@link Locale#ROOT} (a dot, never a comma), enough digits to compare runs. */
final class Numbers {
    /** What an empty field ({@code NaN}) shows as. */
    static final String MISSING = "n/a";

    private Numbers() {
    }

    /**
     * Whole numbers without decimals ({@code 120}); large values with one ({@code 2650.5}); values
     * under 100 with four ({@code -3.3500}, {@code 0.5650}); tiny ones with three significant digits
     * ({@code 0.000420}), so a KL of 4e-4 does not print as 0.0004.
     */
    static String format(double x) {
        if (Double.isNaN(x)) {
            return MISSING;
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        double abs = Math.abs(x);
        if (x == Math.rint(x) && abs < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) x);
        }
        if (abs >= 100) {
            return String.format(Locale.ROOT, "%.1f", x);
        }
        if (abs >= 0.01) {
            return String.format(Locale.ROOT, "%.4f", x);
        }
        return new BigDecimal(x).round(new MathContext(3)).toPlainString();
    }

    /** {@code mean [low, high]}. */
    static String interval(double mean, double low, double high) {
        return format(mean) + " [" + format(low) + ", " + format(high) + "]";
    }
}
