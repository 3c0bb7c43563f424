package dev.gopo.ranker.advantage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.schemas.topic.Estimator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every expected number below is computed by hand in the comment next to it. */
class EstimatorsTest {
    private static final double TOL = 1e-9;
    private final AdvantageEstimator gopo = AdvantageEstimator.of(Estimator.GOPO, 1e-4);
    private final AdvantageEstimator gopoArbitrary = AdvantageEstimator.of(Estimator.GOPO_ARBITRARY_TIES, 1e-4);
    private final AdvantageEstimator grpo = AdvantageEstimator.of(Estimator.GRPO, 1e-4);
    private final AdvantageEstimator drGrpo = AdvantageEstimator.of(Estimator.DR_GRPO, 1e-4);
    private final AdvantageEstimator rloo = AdvantageEstimator.of(Estimator.RLOO, 1e-4);

    @Test
    void gopoGroupOfTwo() {
        // rewards 0.3, 0.9 -> ranks 2, 1; G - 1 = 1: A = 2 - 4 (rank - 1) -> -2, +2
        GroupAdvantages a = gopo.estimate(new double[] {0.3, 0.9});
        assertThat(a.ranks()).containsExactly(2, 1);
        assertThat(a.advantages()).containsExactly(-2, 2);
    }

    @Test
    void gopoGroupOfThree() {
        // rewards 0.5, 0.1, 0.9 -> ranks 2, 3, 1; A = 2 - 4 (rank - 1) / 2 -> 0, -2, +2
        GroupAdvantages a = gopo.estimate(new double[] {0.5, 0.1, 0.9});
        assertThat(a.ranks()).containsExactly(2, 3, 1);
        assertThat(a.advantages()).containsExactly(0, -2, 2);
    }

    @Test
    void gopoGroupOfEightWithATie() {
        // rewards 3 1 4 1 5 9 2 6; descending: 9(i5) 6(i7) 5(i4) 4(i2) 3(i0) 2(i6) 1(i1) 1(i3)
        // ranks: i0=5, i1=i3=(7+8)/2=7.5, i2=4, i4=3, i5=1, i6=6, i7=2
        // A = 2 - 4 (rank - 1) / 7: rank 1 -> 2, 2 -> 10/7, 3 -> 6/7, 4 -> 2/7, 5 -> -2/7, 6 -> -6/7, 7.5 -> -12/7
        GroupAdvantages a = gopo.estimate(new double[] {3, 1, 4, 1, 5, 9, 2, 6});
        assertThat(a.ranks()).containsExactly(5, 7.5, 4, 7.5, 3, 1, 6, 2);
        double[] expected = {-2.0 / 7, -12.0 / 7, 2.0 / 7, -12.0 / 7, 6.0 / 7, 2, -6.0 / 7, 10.0 / 7};
        assertClose(a.advantages(), expected);
        // sevenths: -2 -12 +2 -12 +6 +14 -6 +10 = 0
        assertThat(sum(a.advantages())).isCloseTo(0, within(TOL));
    }

    @Test
    void gopoArbitraryTiesBreaksTheTieByIndex() {
        // same rewards; the two 1s (i1, i3) get ranks 7 and 8: A = 2 - 24/7 = -10/7 and 2 - 28/7 = -2
        GroupAdvantages a = gopoArbitrary.estimate(new double[] {3, 1, 4, 1, 5, 9, 2, 6});
        assertThat(a.ranks()).containsExactly(5, 7, 4, 8, 3, 1, 6, 2);
        assertClose(a.advantages(), new double[] {-2.0 / 7, -10.0 / 7, 2.0 / 7, -2, 6.0 / 7, 2, -6.0 / 7, 10.0 / 7});
    }

    @Test
    void gopoTiesShareTheAverageRank() {
        // rewards 1 3 3 0: ranks 3, 1.5, 1.5, 4; A = 2 - 4 (rank - 1) / 3 -> -2/3, 4/3, 4/3, -2
        GroupAdvantages a = gopo.estimate(new double[] {1, 3, 3, 0});
        assertThat(a.ranks()).containsExactly(3, 1.5, 1.5, 4);
        assertClose(a.advantages(), new double[] {-2.0 / 3, 4.0 / 3, 4.0 / 3, -2});
    }

    @Test
    void allEqualGroupGetsZerosWithAverageRanksAndTheFullSpreadWithArbitraryTies() {
        // average ranks: all (1+2+3+4)/4 = 2.5 -> A = 2 - 4 * 1.5 / 3 = 0
        assertThat(gopo.estimate(new double[] {5, 5, 5, 5}).advantages()).containsExactly(0, 0, 0, 0);
        // reference behaviour: ranks 1..4 by index -> 2, 2/3, -2/3, -2
        GroupAdvantages arbitrary = gopoArbitrary.estimate(new double[] {5, 5, 5, 5});
        assertThat(arbitrary.ranks()).containsExactly(1, 2, 3, 4);
        assertClose(arbitrary.advantages(), new double[] {2, 2.0 / 3, -2.0 / 3, -2});
    }

    @Test
    void negativeAndPositiveZeroAreATie() {
        assertThat(gopo.estimate(new double[] {-0.0, 0.0}).advantages()).containsExactly(0, 0);
        assertThat(gopoArbitrary.estimate(new double[] {-0.0, 0.0}).ranks()).containsExactly(1, 2);
    }

    @Test
    void grpoUsesPopulationStdPlusEps() {
        // rewards 1 2 3 6: mean 3, deviations -2 -1 0 3, sum of squares 14, population var 3.5
        // std + eps = sqrt(3.5) + 1e-4 = 1.8709286934 -> A = -1.0689878278, -0.5344939139, 0, 1.6034817418
        GroupAdvantages a = grpo.estimate(new double[] {1, 2, 3, 6});
        assertClose(a.advantages(), new double[] {-1.0689878278468057, -0.5344939139234028, 0, 1.6034817417702085});
        assertThat(a.ranks()).containsExactly(4, 3, 2, 1);
    }

    @Test
    void grpoGroupOfTwo() {
        // rewards 0, 1: mean 0.5, std 0.5 -> A = -+0.5 / 0.5001 = -+0.9998000400
        assertClose(grpo.estimate(new double[] {0, 1}).advantages(), new double[] {-0.9998000399920016, 0.9998000399920016});
    }

    @Test
    void drGrpoIsRewardMinusMean() {
        // rewards 1 2 3 6: mean 3 -> -2 -1 0 3
        assertClose(drGrpo.estimate(new double[] {1, 2, 3, 6}).advantages(), new double[] {-2, -1, 0, 3});
    }

    @Test
    void rlooSubtractsTheMeanOfTheOthers() {
        // rewards 1 2 3 6: A_0 = 1 - (2+3+6)/3 = -8/3, A_1 = 2 - 10/3 = -4/3, A_2 = 3 - 9/3 = 0, A_3 = 6 - 6/3 = 4
        assertClose(rloo.estimate(new double[] {1, 2, 3, 6}).advantages(), new double[] {-8.0 / 3, -4.0 / 3, 0, 4});
    }

    @Test
    void meanBasedEstimatorsGiveZerosForAllEqualRewards() {
        for (AdvantageEstimator e : new AdvantageEstimator[] {grpo, drGrpo, rloo}) {
            assertThat(e.estimate(new double[] {0.7, 0.7, 0.7}).advantages()).as(e.toString()).containsExactly(0, 0, 0);
        }
        assertThat(new GrpoEstimator(0).estimate(new double[] {2, 2}).advantages()).containsExactly(0, 0);
    }

    @ParameterizedTest
    @EnumSource(Estimator.class)
    void aGroupOfOneHasAdvantageZeroAndRankOne(Estimator estimator) {
        GroupAdvantages a = AdvantageEstimator.of(estimator, 1e-4).estimate(new double[] {42});
        assertThat(a.advantages()).containsExactly(0);
        assertThat(a.ranks()).containsExactly(1);
    }

    @ParameterizedTest
    @EnumSource(Estimator.class)
    void nonFiniteRewardsAreRejectedNeverRanked(Estimator estimator) {
        AdvantageEstimator e = AdvantageEstimator.of(estimator, 1e-4);
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> e.estimate(new double[] {1, bad, 2}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("reward 1 is " + bad);
        }
        assertThatThrownBy(() -> e.estimate(new double[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void overflowIsAnErrorNotAnInfiniteAdvantage() {
        // finite rewards: mean = MAX/3, and -MAX - MAX/3 overflows a double
        double[] huge = {Double.MAX_VALUE, -Double.MAX_VALUE, Double.MAX_VALUE};
        assertThatThrownBy(() -> drGrpo.estimate(huge)).isInstanceOf(ArithmeticException.class).hasMessageContaining("overflow");
        // GOPO never looks at magnitudes: ranks 1.5, 3, 1.5 -> A = 2 - 4 * 0.5 / 2 = 1, -2, 1
        assertThat(gopo.estimate(huge).advantages()).containsExactly(1, -2, 1);
    }

    @Test
    void estimatorTopicSuffixes() {
        assertThat(Estimator.GOPO.topicSuffix()).isEmpty();
        assertThat(Estimator.GRPO.topicSuffix()).isEqualTo("grpo");
        assertThat(Estimator.DR_GRPO.topicSuffix()).isEqualTo("dr-grpo");
    }

    private static void assertClose(double[] actual, double[] expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(TOL));
        }
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
