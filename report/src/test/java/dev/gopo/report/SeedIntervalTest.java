package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SeedIntervalTest {
    @Test
    void threeSeedsUseTheTQuantileWithTwoDegreesOfFreedom() {
        // mean 2, s = 1, s/√3 = 0.57735, t(0.975, 2) = 4.3027 → half width 2.48417
        SeedInterval interval = SeedInterval.of(1, 2, 3);
        assertThat(interval.mean()).isEqualTo(2.0);
        assertThat(interval.low()).isCloseTo(-0.48417, within(1e-5));
        assertThat(interval.high()).isCloseTo(4.48417, within(1e-5));
        assertThat(interval.seeds()).isEqualTo(3);
        assertThat(interval.hasBand()).isTrue();
    }

    @Test
    void twoSeeds() {
        // mean 0.5, s = √0.02 = 0.141421, s/√2 = 0.1, t(0.975, 1) = 12.7062 → half width 1.27062
        SeedInterval interval = SeedInterval.of(0.4, 0.6);
        assertThat(interval.mean()).isCloseTo(0.5, within(1e-12));
        assertThat(interval.high() - interval.mean()).isCloseTo(1.27062, within(1e-5));
    }

    @Test
    void equalSeedsGiveAZeroWidthInterval() {
        SeedInterval interval = SeedInterval.of(0.25, 0.25, 0.25, 0.25);
        assertThat(interval.low()).isEqualTo(0.25);
        assertThat(interval.high()).isEqualTo(0.25);
    }

    @Test
    void oneSeedHasNoBand() {
        SeedInterval interval = SeedInterval.of(0.75);
        assertThat(interval).isEqualTo(new SeedInterval(0.75, 0.75, 0.75, 1));
        assertThat(interval.hasBand()).isFalse();
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(SeedInterval::of).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void tQuantileFromTheTableAndTheExpansion() {
        assertThat(SeedInterval.t975(1)).isEqualTo(12.7062);
        assertThat(SeedInterval.t975(4)).isEqualTo(2.7764);
        assertThat(SeedInterval.t975(30)).isEqualTo(2.0423);
        // Exact values: t(0.975, 31) = 2.039513, t(0.975, 100) = 1.983972; the normal limit is 1.959964.
        assertThat(SeedInterval.t975(31)).isCloseTo(2.039513, within(1e-5));
        assertThat(SeedInterval.t975(100)).isCloseTo(1.983972, within(1e-5));
        assertThat(SeedInterval.t975(1_000_000)).isCloseTo(1.959964, within(1e-5));
        assertThatThrownBy(() -> SeedInterval.t975(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
