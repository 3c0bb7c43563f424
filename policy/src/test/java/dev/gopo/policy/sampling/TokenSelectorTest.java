package dev.gopo.policy.sampling;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
            counts[selector.select(LOG_PROBS, row, 4, random).token()]++;
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

    /**
     * Row 0 = (0.1, 0.6, 0.2, 0.1), top-p 0.7 keeps {1, 2} with mass 0.8: the draw is from
     * (0.75, 0.25), so token 1 records log(0.6 / 0.8) and token 2 log(0.2 / 0.8), not log 0.6 / log 0.2.
     */
    @Test
    @Timeout(10)
    void topPRecordsTheLogProbOfTheRenormalisedNucleus() {
        TokenSelector selector = new TokenSelector(new SamplingConfig(1, 0, 0.7, 1, 0));
        SplittableRandom random = new SplittableRandom(3);
        boolean[] seen = new boolean[4];
        for (int i = 0; i < 200; i++) {
            TokenSelector.Selection s = selector.select(LOG_PROBS, 0, 4, random);
            seen[s.token()] = true;
            double expected = switch (s.token()) {
                case 1 -> Math.log(0.6 / 0.8);
                case 2 -> Math.log(0.2 / 0.8);
                default -> throw new AssertionError("token " + s.token() + " is outside the nucleus {1, 2}");
            };
            assertThat((double) s.logProb()).isCloseTo(expected, within(1e-6));
        }
        assertThat(seen[1] && seen[2]).as("both nucleus tokens drawn").isTrue();
    }

    /** Top-k 1 is greedy: the kept token has all the mass, log q = 0. Untruncated rows are returned as they are. */
    @Test
    @Timeout(10)
    void topKAndUntruncatedLogProbs() {
        TokenSelector.Selection greedy = new TokenSelector(new SamplingConfig(1, 1, 1, 1, 0)).select(LOG_PROBS, 0, 4, new SplittableRandom(1));
        assertThat(greedy.token()).isEqualTo(1);
        assertThat((double) greedy.logProb()).isCloseTo(0.0, within(1e-6));
        TokenSelector.Selection top2 = new TokenSelector(new SamplingConfig(1, 2, 1, 1, 0)).select(LOG_PROBS, 0, 4, new SplittableRandom(1));
        assertThat((double) top2.logProb()).isCloseTo(Math.log((top2.token() == 1 ? 0.6 : 0.2) / 0.8), within(1e-6));
        TokenSelector.Selection full = new TokenSelector(new SamplingConfig(1, 0, 1, 1, 0)).select(LOG_PROBS, 0, 4, new SplittableRandom(1));
        assertThat(full.logProb()).isEqualTo(LOG_PROBS[full.token()]);
    }
}
