package dev.gopo.policy.sampling;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TokenSelectorTest {

    /** Two rows over a vocabulary of 4: row 0 = (0.1, 0.6, 0.2, 0.1), row 1 = (0.25 each). */
    private static final float[] LOG_PROBS = {
        (float) Math.log(0.1), (float) Math.log(0.6), (float) Math.log(0.2), (float) Math.log(0.1),
        (float) Math.log(0.25), (float) Math.log(0.25), (float) Math.log(0.25), (float) Math.log(0.25)};

    private static double[] frequencies(SamplingConfig config, int row, int draws) {
        TokenSelector selector = new TokenSelector(config);
        SplittableRandom random = new SplittableRandom(1);
        double[] counts = new double[4];
        for (int i = 0; i < draws; i++) {
            counts[selector.select(LOG_PROBS, row, 4, random)]++;
        }
        for (int i = 0; i < 4; i++) {
            counts[i] /= draws;
        }
        return counts;
    }

    @Test
    void untruncatedDrawsFollowTheDistribution() {
        double[] f = frequencies(new SamplingConfig(1, 0, 1, 1, 0), 0, 50_000);
        assertThat(f[0]).isCloseTo(0.1, within(0.01));
        assertThat(f[1]).isCloseTo(0.6, within(0.01));
        assertThat(f[2]).isCloseTo(0.2, within(0.01));
        assertThat(f[3]).isCloseTo(0.1, within(0.01));
    }

    @Test
    void topKOneIsGreedy() {
        double[] f = frequencies(new SamplingConfig(1, 1, 1, 1, 0), 0, 500);
        assertThat(f[1]).isEqualTo(1.0);
    }

    @Test
    void topKRenormalisesOverTheKept() {
        // keep {1: 0.6, 2: 0.2} -> 0.75 / 0.25
        double[] f = frequencies(new SamplingConfig(1, 2, 1, 1, 0), 0, 50_000);
        assertThat(f[0] + f[3]).isZero();
        assertThat(f[1]).isCloseTo(0.75, within(0.01));
    }

    @Test
    void topPKeepsTheSmallestNucleus() {
        // 0.6 < 0.7 so token 2 (0.2) joins: nucleus {1, 2}
        double[] f = frequencies(new SamplingConfig(1, 0, 0.7, 1, 0), 0, 50_000);
        assertThat(f[0] + f[3]).isZero();
        assertThat(f[2]).isCloseTo(0.25, within(0.01));
        // ties are broken by id, so a uniform row with p = 0.45 keeps ids 0 and 1
        double[] uniform = frequencies(new SamplingConfig(1, 0, 0.45, 1, 0), 1, 2_000);
        assertThat(uniform[2] + uniform[3]).isZero();
    }
}
