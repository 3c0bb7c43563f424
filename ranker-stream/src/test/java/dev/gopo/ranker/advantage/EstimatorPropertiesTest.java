package dev.gopo.ranker.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.schemas.topic.Estimator;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties that define the estimators. Rewards come from a grid of quarter steps in [-5, 5] so a
 * strictly increasing transform cannot round two distinct rewards to the same double (which would
 * create a tie the original group did not have).
 */
class EstimatorPropertiesTest {
    private static final List<DoubleUnaryOperator> INCREASING = List.of(Math::exp, x -> x * x * x + 5 * x, x -> 3 * x - 7, Math::atan);

    @Provide
    Arbitrary<double[]> rewards() {
        return Arbitraries.integers().between(-20, 20).map(i -> i / 4.0).list().ofMinSize(1).ofMaxSize(16)
                .map(l -> l.stream().mapToDouble(Double::doubleValue).toArray());
    }

    @Property
    void gopoIgnoresEveryStrictlyIncreasingTransform(@ForAll("rewards") double[] r, @ForAll @IntRange(min = 0, max = 3) int which) {
        double[] transformed = Arrays.stream(r).map(INCREASING.get(which)).toArray();
        for (Estimator gopo : List.of(Estimator.GOPO, Estimator.GOPO_ARBITRARY_TIES)) {
            AdvantageEstimator e = AdvantageEstimator.of(gopo, 1e-4);
            assertThat(e.estimate(transformed).advantages()).isEqualTo(e.estimate(r).advantages());
        }
    }

    @Property
    void grpoChangesUnderANonAffineTransformOnceThreeRewardsDiffer(@ForAll("rewards") double[] r) {
        if (Arrays.stream(r).distinct().count() < 3) {
            return; // on two distinct values every increasing map is affine, and GRPO is affine-invariant up to eps
        }
        AdvantageEstimator grpo = AdvantageEstimator.of(Estimator.GRPO, 1e-4);
        double[] before = grpo.estimate(r).advantages();
        double[] after = grpo.estimate(Arrays.stream(r).map(Math::exp).toArray()).advantages();
        double largestChange = 0;
        for (int i = 0; i < r.length; i++) {
            largestChange = Math.max(largestChange, Math.abs(before[i] - after[i]));
        }
        assertThat(largestChange).isGreaterThan(1e-6);
    }

    @Property
    void gopoAdvantagesHaveMeanZeroAndStayWithinPlusMinusTwo(@ForAll("rewards") double[] r) {
        double[] a = AdvantageEstimator.of(Estimator.GOPO, 1e-4).estimate(r).advantages();
        assertThat(Arrays.stream(a).sum()).isCloseTo(0, within(1e-9));
        assertThat(Arrays.stream(a).boxed().toList()).allSatisfy(x -> assertThat(x).isBetween(-2.0, 2.0));
        if (r.length > 1 && Arrays.stream(r).distinct().count() == r.length) {
            // no ties: best is +2, worst -2 under both tie rules
            assertThat(Arrays.stream(a).max().getAsDouble()).isEqualTo(2.0);
            assertThat(Arrays.stream(a).min().getAsDouble()).isEqualTo(-2.0);
        }
    }

    @Property
    void ranksAreConsistentWithRewards(@ForAll("rewards") double[] r) {
        double[] average = Ranks.average(r);
        double[] byIndex = Ranks.byIndex(r);
        int g = r.length;
        assertThat(Arrays.stream(average).sum()).isCloseTo(g * (g + 1) / 2.0, within(1e-9));
        assertThat(Arrays.stream(byIndex).sorted().toArray()).isEqualTo(java.util.stream.IntStream.rangeClosed(1, g).asDoubleStream().toArray());
        for (int i = 0; i < g; i++) {
            for (int j = 0; j < g; j++) {
                if (r[i] > r[j]) {
                    assertThat(average[i]).isLessThan(average[j]);
                    assertThat(byIndex[i]).isLessThan(byIndex[j]);
                } else if (r[i] == r[j]) {
                    assertThat(average[i]).isEqualTo(average[j]);
                }
            }
        }
    }

    @Property
    void everyEstimatorIsPermutationEquivariant(@ForAll("rewards") double[] r) {
        // reversing the group reverses the advantages (GOPO_ARBITRARY_TIES is excluded: its tie-break is by index)
        double[] reversed = reverse(r);
        for (Estimator estimator : List.of(Estimator.GOPO, Estimator.GRPO, Estimator.DR_GRPO, Estimator.RLOO)) {
            AdvantageEstimator e = AdvantageEstimator.of(estimator, 1e-4);
            double[] a = e.estimate(r).advantages();
            double[] b = reverse(e.estimate(reversed).advantages());
            for (int i = 0; i < a.length; i++) {
                assertThat(b[i]).as(estimator + " element " + i).isCloseTo(a[i], within(1e-9));
            }
        }
    }

    private static double[] reverse(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[v.length - 1 - i];
        }
        return out;
    }
}
