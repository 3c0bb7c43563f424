package dev.gopo.tasks.judge;

import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

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
}
