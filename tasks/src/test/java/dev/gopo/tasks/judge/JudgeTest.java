package dev.gopo.tasks.judge;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class JudgeTest {

    private static final Task SUMMARISE = TaskRegistry.byName("summarise");
    private static final String PROMPT = "sum: sky cat fig cat map sky dog";

    @Test
    void betterCompletionWinsWhicheverOrderItIsShownIn() {
        Judge judge = new Judge(1);
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            assertThat(judge.compare(new Judge.Comparison(SUMMARISE, PROMPT, "sky cat", "cat"), random)).isEqualTo(1.0);
            assertThat(judge.compare(new Judge.Comparison(SUMMARISE, PROMPT, "cat", "sky cat"), random)).isEqualTo(0.0);
        }
    }

    @Test
    void tiesCountHalf() {
        Judge judge = new Judge(1);
        // Different strings, equal gold quality (both 0).
        Judge.Comparison tie = new Judge.Comparison(SUMMARISE, PROMPT, "fig", "dog");
        assertThat(judge.compare(tie, new SplittableRandom(1))).isEqualTo(0.5);
        WinRate rate = judge.winRate(List.of(tie, tie,
                new Judge.Comparison(SUMMARISE, PROMPT, "sky cat", "cat"),
                new Judge.Comparison(SUMMARISE, PROMPT, "cat", "sky cat")));
        assertThat(rate.winRate()).isEqualTo(0.5);
        assertThat(rate.wins()).isEqualTo(1);
        assertThat(rate.ties()).isEqualTo(2);
        assertThat(rate.losses()).isEqualTo(1);
    }

    @Test
    void tieMarginWidensTies() {
        Judge strict = new Judge(0.0, 1);
        Judge lenient = new Judge(0.2, 1);
        Judge.Comparison close = new Judge.Comparison(SUMMARISE, PROMPT, "sky cat", "sky cat dog"); // 1.0 vs 0.9
        assertThat(strict.compare(close, new SplittableRandom(1))).isEqualTo(1.0);
        assertThat(lenient.compare(close, new SplittableRandom(1))).isEqualTo(0.5);
    }

    @Test
    void confidenceIntervalContainsThePointEstimateAndIsSeeded() {
        List<Judge.Comparison> comparisons = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(11);
        String[] candidates = {"sky cat", "cat", "sky", "fig", "cat sky", "sky cat dog"};
        for (int i = 0; i < 60; i++) {
            comparisons.add(new Judge.Comparison(SUMMARISE, PROMPT, candidates[random.nextInt(candidates.length)],
                    candidates[random.nextInt(candidates.length)]));
        }
        WinRate a = new Judge(5).winRate(comparisons);
        WinRate b = new Judge(5).winRate(comparisons);
        assertThat(a).isEqualTo(b);
        assertThat(a.ciLow()).isLessThanOrEqualTo(a.winRate());
        assertThat(a.ciHigh()).isGreaterThanOrEqualTo(a.winRate());
        assertThat(a.ciHigh() - a.ciLow()).isBetween(0.05, 0.5);
        assertThat(a.comparisons()).isEqualTo(60);
    }

    @Test
    void allWinsGiveADegenerateIntervalAtOne() {
        List<Judge.Comparison> wins = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            wins.add(new Judge.Comparison(SUMMARISE, PROMPT, "sky cat", "fig"));
        }
        WinRate rate = new Judge(2).winRate(wins);
        assertThat(rate.winRate()).isEqualTo(1.0);
        assertThat(rate.ciLow()).isEqualTo(1.0);
        assertThat(rate.significantlyBetter()).isTrue();
    }

    @Test
    void bootstrapIntervalOfAKnownSampleIsAboutTwoStandardErrors() {
        double[] values = new double[400];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 2;            // mean 0.5, standard error 0.025
        }
        Bootstrap.Interval ci = Bootstrap.meanInterval(values, 4000, 0.95, 1);
        assertThat(ci.low()).isCloseTo(0.451, within(0.01));
        assertThat(ci.high()).isCloseTo(0.549, within(0.01));
    }

    @Test
    void badArgumentsAreRejected() {
        assertThatThrownBy(() -> new Judge(1).winRate(List.of())).hasMessageContaining("no comparisons");
        assertThatThrownBy(() -> new Judge(-1.0, 1)).hasMessageContaining("tieMargin");
        assertThatThrownBy(() -> Bootstrap.meanInterval(new double[] {1}, 10, 1.5, 1)).hasMessageContaining("0.95");
    }
    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void oneOutcomePerClusterGivesExactlyThePlainBootstrapInterval() {
        // The evaluator's intervals with one sample per prompt are unchanged by the clustered bootstrap.
        SplittableRandom random = new SplittableRandom(13);
        double[] values = new double[40];
        double[][] singletons = new double[40][];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(3) / 2.0;
            singletons[i] = new double[] {values[i]};
        }
        assertThat(Bootstrap.clusteredMeanInterval(singletons, 1000, 0.95, 9)).isEqualTo(Bootstrap.meanInterval(values, 1000, 0.95, 9));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void samplesOfAPromptCountAsOneClusterNotAsIndependentComparisons() {
        // 20 prompts with 8 samples each; every sample of a prompt gets the same verdict (the
        // extreme of within-prompt correlation): 10 prompts all wins, 10 all losses.
        List<List<Judge.Comparison>> byPrompt = new ArrayList<>();
        List<Judge.Comparison> flat = new ArrayList<>();
        for (int p = 0; p < 20; p++) {
            List<Judge.Comparison> samples = new ArrayList<>();
            for (int j = 0; j < 8; j++) {
                samples.add(p % 2 == 0 ? new Judge.Comparison(SUMMARISE, PROMPT, "sky cat", "cat")
                        : new Judge.Comparison(SUMMARISE, PROMPT, "cat", "sky cat"));
            }
            byPrompt.add(samples);
            flat.addAll(samples);
        }
        WinRate clustered = new Judge(4).winRateByPrompt(byPrompt, 0.95, 2000);
        WinRate naive = new Judge(4).winRate(flat, 0.95, 2000);
        assertThat(clustered.winRate()).isEqualTo(0.5);
        assertThat(clustered.comparisons()).isEqualTo(160);
        assertThat(clustered.wins()).isEqualTo(80);
        assertThat(clustered.losses()).isEqualTo(80);
        // Standard error 0.5/sqrt(20) = 0.112 by prompt, against 0.5/sqrt(160) = 0.040 by comparison.
        double clusteredWidth = clustered.ciHigh() - clustered.ciLow();
        double naiveWidth = naive.ciHigh() - naive.ciLow();
        assertThat(clusteredWidth).isCloseTo(2 * 1.96 * 0.112, within(0.06));
        assertThat(naiveWidth).isCloseTo(2 * 1.96 * 0.040, within(0.03));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void moreIndependentSamplesPerPromptNarrowTheClusteredInterval() {
        SplittableRandom random = new SplittableRandom(21);
        double[][] one = new double[30][1];
        double[][] eight = new double[30][8];
        for (int p = 0; p < 30; p++) {
            for (int j = 0; j < 8; j++) {
                eight[p][j] = random.nextBoolean() ? 1 : 0;
            }
            one[p][0] = eight[p][0];
        }
        Bootstrap.Interval wide = Bootstrap.clusteredMeanInterval(one, 2000, 0.95, 3);
        Bootstrap.Interval narrow = Bootstrap.clusteredMeanInterval(eight, 2000, 0.95, 3);
        // Expected widths about 2 * 1.96 * 0.5 / sqrt(30) = 0.36 and / sqrt(240) = 0.13.
        assertThat(narrow.high() - narrow.low()).isLessThan(0.6 * (wide.high() - wide.low()));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void clusteredIntervalOfIdenticalClustersIsTheirMeanAndEmptyClustersAreRejected() {
        Bootstrap.Interval ci = Bootstrap.clusteredMeanInterval(new double[][] {{1, 0}, {0.5, 0.5}, {0, 1, 0.5}}, 500, 0.95, 1);
        assertThat(ci.low()).isEqualTo(0.5);
        assertThat(ci.high()).isEqualTo(0.5);
        assertThatThrownBy(() -> Bootstrap.clusteredMeanInterval(new double[][] {{1}, {}}, 10, 0.95, 1))
                .hasMessageContaining("cluster 1 is empty");
        assertThatThrownBy(() -> new Judge(1).winRateByPrompt(List.of(List.of()), 0.95, 10))
                .hasMessageContaining("prompt 0 has no comparisons");
        assertThatThrownBy(() -> new Judge(1).winRateByPrompt(List.of(), 0.95, 10)).hasMessageContaining("no comparisons");
    }
}
