package dev.gopo.ranker.advantage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * A transform {@code f} of a group's rewards applied right before an estimator ranks them: {@code r'_i = f(r_i)}. It
 * exists for ablations (issue 9, "gopo replay"): GOPO's advantages depend only on the order of the rewards, so under a
 * <b>strictly increasing</b> {@code f} they are unchanged, while GRPO, Dr. GRPO and RLOO, which use magnitudes, move.
 * An <b>order-changing</b> transform (Gaussian noise) moves every estimator.
 *
 * <table>
 *   <caption>transforms, as {@link #parse(String)} spells them</caption>
 *   <tr><th>spec</th><th>equation</th><th>kind</th></tr>
 *   <tr><td>{@code identity}</td><td>{@code r' = r}</td><td>strictly increasing</td></tr>
 *   <tr><td>{@code affine:A:B}, A &gt; 0</td><td>{@code r' = a·r + b}</td><td>strictly increasing</td></tr>
 *   <tr><td>{@code exp:K}, K &gt; 0</td><td>{@code r' = exp(k·r)}</td><td>strictly increasing</td></tr>
 *   <tr><td>{@code power:P}, P &gt; 0</td><td>{@code r' = sign(r)·|r|^p}; heavy-tailed for p &gt; 1 (a few large
 *       rewards dominate a group's mean and std)</td><td>strictly increasing</td></tr>
 *   <tr><td>{@code noise:SIGMA[:SEED]}, SIGMA &gt; 0</td><td>{@code r'_i = r_i + sigma·z_i}, {@code z_i ~ N(0, 1)}
 *       drawn from {@code java.util.Random(seed(groupId, i, SEED)).nextGaussian()}</td><td>order-changing</td></tr>
 * </table>
 *
 * <p>Pure: the same group id, completion indices and rewards give the same result, also for the noise, whose draw is
 * seeded from (group id, completion index, transform seed) only, so a replay repeated gives the same numbers and the
 * noise of a completion does not depend on the other members of its group or on the order they came in.
 *
 * <p>A result that is not finite (for example {@code exp:10} of a reward of 100, or {@code power:3} of 1e200) throws
 * {@link ArithmeticException}: the ranker dead-letters the group with {@code NON_FINITE_REWARD}, like a NaN reward
 * or an overflowing estimator, and never ranks an infinity.
 */
public sealed interface RewardTransform {
    /** How the spec syntax is explained in every parse error. */
    String SYNTAX = "identity, affine:A:B (a*r + b, A > 0), exp:K (exp(k*r), K > 0), power:P (sign(r)*|r|^p, P > 0) "
            + "or noise:SIGMA[:SEED] (r + N(0, sigma^2), SIGMA > 0, SEED an integer, default 0)";

    /**
     * @param groupId  the group, seeds the noise
     * @param indices  the completion index of each reward (index within the group, not position), seeds the noise
     * @param rewards  finite rewards, not modified
     * @return the transformed rewards, in the order of {@code rewards}
     * @throws ArithmeticException when a transformed reward is not finite
     */
    default double[] apply(String groupId, int[] indices, double[] rewards) {
        if (indices.length != rewards.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + rewards.length + " rewards");
        }
        double[] out = new double[rewards.length];
        for (int k = 0; k < rewards.length; k++) {
            out[k] = applyOne(groupId, indices[k], rewards[k]);
            if (!Double.isFinite(out[k])) {
                throw new ArithmeticException("reward transform " + label() + " gives " + out[k] + " for reward " + rewards[k]
                        + " of completion " + indices[k] + " of group " + groupId + "; the transformed rewards must be finite");
            }
        }
        return out;
    }

    /** The transformed reward of completion {@code index} of group {@code groupId}; may be non-finite (checked by {@link #apply}). */
    double applyOne(String groupId, int index, double reward);

    /** The canonical spec, which {@link #parse(String)} reads back to an equal transform, e.g. {@code power:3}. */
    String label();

    /** True when {@code r < s} implies {@code f(r) < f(s)}: GOPO's advantages are then unchanged. */
    boolean strictlyIncreasing();

    /** {@code r' = r}, the default. */
    static RewardTransform identity() {
        return new Identity();
    }

    /**
     * Reads a spec such as {@code identity}, {@code affine:2:-1}, {@code exp:0.5}, {@code power:3}, {@code noise:0.5} or
     * {@code noise:0.5:7} (case-insensitive name).
     *
     * @throws IllegalArgumentException naming the spec and the valid forms, for anything else
     */
    static RewardTransform parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("reward transform is empty; use one of " + SYNTAX);
        }
        String[] parts = spec.trim().split(":", -1);
        String name = parts[0].toLowerCase(Locale.ROOT);
        try {
            return switch (name) {
                case "identity" -> {
                    arity(spec, parts, 1, 1);
                    yield new Identity();
                }
                case "affine" -> {
                    arity(spec, parts, 3, 3);
                    yield new Affine(number(spec, parts[1]), number(spec, parts[2]));
                }
                case "exp" -> {
                    arity(spec, parts, 2, 2);
                    yield new Exp(number(spec, parts[1]));
                }
                case "power" -> {
                    arity(spec, parts, 2, 2);
                    yield new Power(number(spec, parts[1]));
                }
                case "noise" -> {
                    arity(spec, parts, 2, 3);
                    long seed;
                    try {
                        seed = parts.length == 3 ? Long.parseLong(parts[2].trim()) : 0L;
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("noise seed '" + parts[2] + "' is not an integer", e);
                    }
                    yield new Noise(number(spec, parts[1]), seed);
                }
                default -> throw new IllegalArgumentException("unknown transform '" + parts[0] + "'");
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("reward transform '" + spec + "' is not valid: " + e.getMessage() + "; use one of " + SYNTAX, e);
        }
    }

    private static void arity(String spec, String[] parts, int min, int max) {
        if (parts.length < min || parts.length > max) {
            throw new IllegalArgumentException(parts[0] + " takes " + (min - 1 == max - 1 ? Integer.toString(min - 1) : (min - 1) + " or " + (max - 1))
                    + " parameter(s), got " + (parts.length - 1));
        }
    }

    private static double number(String spec, String text) {
        double value;
        try {
            value = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number", e);
        }
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException("'" + text + "' is not a finite number");
        }
        return value;
    }

    /** A number as the shortest plain decimal that reads back to it: 3, 0.5, -1.25. */
    private static String format(double value) {
        BigDecimal d = BigDecimal.valueOf(value).stripTrailingZeros();
        return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
    }

    /** {@code r' = r}. */
    record Identity() implements RewardTransform {
        @Override
        public double[] apply(String groupId, int[] indices, double[] rewards) {
            return rewards.clone();
        }

        @Override
        public double applyOne(String groupId, int index, double reward) {
            return reward;
        }

        @Override
        public String label() {
            return "identity";
        }

        @Override
        public boolean strictlyIncreasing() {
            return true;
        }
    }

    /** {@code r' = a·r + b}, {@code a > 0}. */
    record Affine(double a, double b) implements RewardTransform {
        public Affine {
            if (!(a > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
                throw new IllegalArgumentException("affine needs a finite A > 0 and a finite B, got A = " + a + ", B = " + b);
            }
        }

        @Override
        public double applyOne(String groupId, int index, double reward) {
            return a * reward + b;
        }

        @Override
        public String label() {
            return "affine:" + format(a) + ":" + format(b);
        }

        @Override
        public boolean strictlyIncreasing() {
            return true;
        }
    }

    /** {@code r' = exp(k·r)}, {@code k > 0}. */
    record Exp(double k) implements RewardTransform {
        public Exp {
            if (!(k > 0) || !Double.isFinite(k)) {
                throw new IllegalArgumentException("exp needs a finite K > 0, got " + k);
            }
        }

        @Override
        public double applyOne(String groupId, int index, double reward) {
            return Math.exp(k * reward);
        }

        @Override
        public String label() {
            return "exp:" + format(k);
        }

        @Override
        public boolean strictlyIncreasing() {
            return true;
        }
    }

    /** {@code r' = sign(r)·|r|^p}, {@code p > 0}: odd-symmetric, strictly increasing, heavy-tailed for {@code p > 1}. */
    record Power(double p) implements RewardTransform {
        public Power {
            if (!(p > 0) || !Double.isFinite(p)) {
                throw new IllegalArgumentException("power needs a finite P > 0, got " + p);
            }
        }

        @Override
        public double applyOne(String groupId, int index, double reward) {
            return Math.signum(reward) * Math.pow(Math.abs(reward), p);
        }

        @Override
        public String label() {
            return "power:" + format(p);
        }

        @Override
        public boolean strictlyIncreasing() {
            return true;
        }
    }

    /**
     * {@code r'_i = r_i + sigma·z_i}, {@code z_i ~ N(0, 1)}: changes the order of close rewards. {@code z_i} is the first
     * {@code nextGaussian()} of a {@code java.util.Random} (whose algorithm the JDK specifies, so it is the same on every
     * JVM) seeded with {@link #seedOf(String, int, long)}.
     */
    record Noise(double sigma, long seed) implements RewardTransform {
        public Noise {
            if (!(sigma > 0) || !Double.isFinite(sigma)) {
                throw new IllegalArgumentException("noise needs a finite SIGMA > 0, got " + sigma);
            }
        }

        @Override
        public double applyOne(String groupId, int index, double reward) {
            return reward + sigma * new Random(seedOf(groupId, index, seed)).nextGaussian();
        }

        /**
         * The seed of one completion's noise: SplitMix64's finaliser over the 64-bit FNV-1a hash of the group id's UTF-8
         * bytes, mixed with the index and the transform seed. Depends on nothing else.
         */
        static long seedOf(String groupId, int index, long transformSeed) {
            long h = 0xcbf29ce484222325L;
            for (byte b : groupId.getBytes(StandardCharsets.UTF_8)) {
                h ^= b & 0xff;
                h *= 0x100000001b3L;
            }
            return mix(mix(h ^ mix(transformSeed)) + index);
        }

        private static long mix(long z) {
            z += 0x9e3779b97f4a7c15L;
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        @Override
        public String label() {
            return "noise:" + format(sigma) + (seed == 0 ? "" : ":" + seed);
        }

        @Override
        public boolean strictlyIncreasing() {
            return false;
        }
    }
}
