package dev.gopo.ranker.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class RewardTransformTest {
    private static final int[] IDX = {0, 1, 2, 3};

    @Test
    void parsesEverySpecAndGivesItsCanonicalLabelBack() {
        assertThat(RewardTransform.parse("identity")).isEqualTo(RewardTransform.identity());
        assertThat(RewardTransform.parse("POWER:3")).isEqualTo(new RewardTransform.Power(3));
        assertThat(RewardTransform.parse(" affine:2:-1 ")).isEqualTo(new RewardTransform.Affine(2, -1));
        assertThat(RewardTransform.parse("exp:0.5")).isEqualTo(new RewardTransform.Exp(0.5));
        assertThat(RewardTransform.parse("noise:0.25")).isEqualTo(new RewardTransform.Noise(0.25, 0));
        assertThat(RewardTransform.parse("noise:0.25:7")).isEqualTo(new RewardTransform.Noise(0.25, 7));
        for (String spec : List.of("identity", "power:3", "power:0.5", "affine:2:-1", "affine:0.001:1000", "exp:0.5", "noise:0.25",
                "noise:1:-3")) {
            assertThat(RewardTransform.parse(spec).label()).isEqualTo(spec);
            assertThat(RewardTransform.parse(RewardTransform.parse(spec).label())).isEqualTo(RewardTransform.parse(spec));
        }
        assertThat(RewardTransform.parse("power:3.0").label()).isEqualTo("power:3");
    }

    @Test
    void badSpecsFailWithAMessageThatShowsTheValidForms() {
        for (String bad : List.of("", "powr:3", "power", "power:x", "power:0", "power:-1", "power:3:4", "affine:0:1", "affine:1",
                "exp:-2", "exp:NaN", "noise:0", "noise:1:x", "identity:1", "power:Infinity")) {
            assertThatThrownBy(() -> RewardTransform.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("power:P").hasMessageContaining("noise:SIGMA");
        }
        assertThatThrownBy(() -> RewardTransform.parse("powr:3")).hasMessageContaining("'powr:3'").hasMessageContaining("unknown transform 'powr'");
        assertThatThrownBy(() -> RewardTransform.parse("power:0")).hasMessageContaining("P > 0");
    }

    @Test
    void handComputedValues() {
        double[] r = {-2, -0.5, 0, 3};
        assertThat(RewardTransform.parse("identity").apply("g", IDX, r)).containsExactly(-2, -0.5, 0, 3);
        assertThat(RewardTransform.parse("affine:2:1").apply("g", IDX, r)).containsExactly(-3, 0, 1, 7);
        assertThat(RewardTransform.parse("power:3").apply("g", IDX, r)).containsExactly(-8, -0.125, 0, 27);
        assertThat(RewardTransform.parse("power:0.5").apply("g", IDX, new double[] {-4, 9, 0.25, 1})).containsExactly(-2, 3, 0.5, 1);
        double[] e = RewardTransform.parse("exp:0.5").apply("g", IDX, r);
        assertThat(e[0]).isCloseTo(Math.exp(-1), within(1e-15));
        assertThat(e[3]).isCloseTo(Math.exp(1.5), within(1e-15));
    }

    @Test
    void strictlyIncreasingTransformsKeepTheOrderAndNoiseChangesIt() {
        double[] r = {-3.0, -1.0, -0.01, 0.0, 0.01, 0.5, 1.0, 2.5, 7.0};
        int[] idx = new int[r.length];
        Arrays.setAll(idx, i -> i);
        for (String spec : List.of("identity", "affine:0.5:-3", "exp:1", "power:3", "power:0.3")) {
            RewardTransform t = RewardTransform.parse(spec);
            assertThat(t.strictlyIncreasing()).as(spec).isTrue();
            double[] out = t.apply("g", idx, r);
            for (int i = 1; i < out.length; i++) {
                assertThat(out[i]).as("%s of %s vs %s", spec, r[i - 1], r[i]).isGreaterThan(out[i - 1]);
            }
        }
        RewardTransform noise = RewardTransform.parse("noise:1");
        assertThat(noise.strictlyIncreasing()).isFalse();
        // sigma 1 over rewards 0.01 apart: some pair swaps among many groups
        boolean swapped = false;
        for (int g = 0; g < 20 && !swapped; g++) {
            double[] out = noise.apply("g" + g, idx, new double[] {0, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08});
            for (int i = 1; i < out.length; i++) {
                swapped |= out[i] < out[i - 1];
            }
        }
        assertThat(swapped).isTrue();
    }

    @Test
    void noiseIsReproducibleAndSeededByGroupIndexAndTransformSeed() {
        RewardTransform noise = RewardTransform.parse("noise:0.5:11");
        double[] r = {1, 2, 3, 4};
        double[] a = noise.apply("group-7", IDX, r);
        assertThat(RewardTransform.parse("noise:0.5:11").apply("group-7", IDX, r)).containsExactly(a);
        // a completion's noise depends on its index, not on its position or on the other members
        assertThat(noise.apply("group-7", new int[] {3, 0}, new double[] {4, 1})).containsExactly(a[3], a[0]);
        assertThat(noise.applyOne("group-7", 2, 3)).isEqualTo(a[2]);
        assertThat(noise.apply("group-8", IDX, r)).isNotEqualTo(a);
        assertThat(RewardTransform.parse("noise:0.5:12").apply("group-7", IDX, r)).isNotEqualTo(a);
        // pinned: java.util.Random's Gaussian is specified by the JDK, so this value holds on every JVM
        assertThat(RewardTransform.Noise.seedOf("group-7", 0, 11)).isEqualTo(RewardTransform.Noise.seedOf("group-7", 0, 11));
        assertThat(a[0]).isEqualTo(1 + 0.5 * new java.util.Random(RewardTransform.Noise.seedOf("group-7", 0, 11)).nextGaussian());
        // roughly N(0, sigma^2) over many draws
        double sum = 0;
        double squares = 0;
        int n = 20_000;
        RewardTransform unit = RewardTransform.parse("noise:1");
        for (int i = 0; i < n; i++) {
            double z = unit.applyOne("g" + (i / 8), i % 8, 0);
            sum += z;
            squares += z * z;
        }
        assertThat(sum / n).isCloseTo(0, within(0.05));
        assertThat(squares / n).isCloseTo(1, within(0.05));
    }

    @Test
    void aNonFiniteResultIsRejectedLikeANonFiniteReward() {
        assertThatThrownBy(() -> RewardTransform.parse("exp:10").apply("g9", new int[] {0, 1}, new double[] {1, 100}))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("exp:10").hasMessageContaining("completion 1 of group g9");
        assertThatThrownBy(() -> RewardTransform.parse("power:3").apply("g9", new int[] {0}, new double[] {-1e200}))
                .isInstanceOf(ArithmeticException.class).hasMessageContaining("-Infinity");
        assertThatThrownBy(() -> RewardTransform.parse("affine:1e300:0").apply("g9", new int[] {0}, new double[] {1e10}))
                .isInstanceOf(ArithmeticException.class);
    }

    @Test
    void gopoAdvantagesAreInvariantUnderEveryStrictlyIncreasingTransformAndGrpoMoves() {
        double[] r = {0.3, -1.2, 2.5, 0.9, 0.3, -0.4, 1.7, 0.0};
        int[] idx = new int[r.length];
        Arrays.setAll(idx, i -> i);
        AdvantageEstimator gopo = AdvantageEstimator.of(dev.gopo.schemas.topic.Estimator.GOPO, 1e-4);
        AdvantageEstimator grpo = AdvantageEstimator.of(dev.gopo.schemas.topic.Estimator.GRPO, 1e-4);
        for (String spec : List.of("affine:3:2", "exp:1", "power:3")) {
            double[] t = RewardTransform.parse(spec).apply("g", idx, r);
            assertThat(gopo.estimate(t).advantages()).as(spec).containsExactly(gopo.estimate(r).advantages());
        }
        // (GRPO is nearly affine-invariant, so only the non-linear ones are checked to move it, by more than rounding)
        for (String spec : List.of("exp:1", "power:3")) {
            double[] moved = grpo.estimate(RewardTransform.parse(spec).apply("g", idx, r)).advantages();
            double[] plain = grpo.estimate(r).advantages();
            double gap = 0;
            for (int i = 0; i < r.length; i++) {
                gap = Math.max(gap, Math.abs(moved[i] - plain[i]));
            }
            assertThat(gap).as(spec).isGreaterThan(0.1);
        }
    }
}
