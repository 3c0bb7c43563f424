package dev.gopo.platform.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SpreadTest {
    @Test
    void oddCountMedianIsTheMiddleValueWhateverTheOrder() {
        // sorted 1, 2, 10: median x[1] = 2; q1 at h = 0.5 -> 1 + 0.5 (2 - 1) = 1.5; q3 at h = 1.5 -> 2 + 0.5 (10 - 2) = 6
        Spread s = Spread.of(10, 1, 2);
        assertThat(s.n()).isEqualTo(3);
        assertThat(s.median()).isEqualTo(2);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(10);
        assertThat(s.q1()).isCloseTo(1.5, within(1e-12));
        assertThat(s.q3()).isCloseTo(6.0, within(1e-12));
        assertThat(s.iqr()).isCloseTo(4.5, within(1e-12));
    }

    @Test
    void evenCountMedianIsTheMeanOfTheTwoMiddleValues() {
        // sorted 1, 2, 3, 4: median at h = 1.5 -> 2.5; q1 at h = 0.75 -> 1.75; q3 at h = 2.25 -> 3.25
        Spread s = Spread.of(4, 3, 2, 1);
        assertThat(s.median()).isCloseTo(2.5, within(1e-12));
        assertThat(s.q1()).isCloseTo(1.75, within(1e-12));
        assertThat(s.q3()).isCloseTo(3.25, within(1e-12));
    }

    @Test
    void oneValueHasNoSpread() {
        Spread s = Spread.of(7);
        assertThat(s.median()).isEqualTo(7);
        assertThat(s.iqr()).isZero();
        assertThat(s.min()).isEqualTo(s.max());
    }

    @Test
    void doesNotReorderTheCallersArray() {
        double[] values = {3, 1, 2};
        Spread.of(values);
        assertThat(values).containsExactly(3, 1, 2);
    }

    @Test
    void noValuesIsAnError() {
        assertThatThrownBy(Spread::of).isInstanceOf(IllegalArgumentException.class);
    }
}
