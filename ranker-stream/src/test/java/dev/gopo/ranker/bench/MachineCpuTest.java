package dev.gopo.ranker.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MachineCpuTest {
    @Test
    void busyShareCountsIdleAndIowaitAsNotBusy() {
        MachineCpu.Reading before = MachineCpu.parse("cpu  100 0 50 800 50 0 0 0 0 0");
        // +300 user, +100 system, +80 idle, +20 iowait: 400 busy of 500
        MachineCpu.Reading after = MachineCpu.parse("cpu  400 0 150 880 70 0 0 0 0 0");
        assertThat(before).isEqualTo(new MachineCpu.Reading(1000, 850));
        assertThat(MachineCpu.busyShare(before, after)).isEqualTo(0.8);
    }

    @Test
    void stealAndInterruptsCountInTheTotal() {
        MachineCpu.Reading before = MachineCpu.parse("cpu 0 0 0 0 0 0 0 0");
        MachineCpu.Reading after = MachineCpu.parse("cpu 10 10 10 50 0 10 5 5");
        assertThat(MachineCpu.busyShare(before, after)).isEqualTo(0.5);
    }

    @Test
    void missingReadingsOrNoElapsedTimeGiveNaN() {
        MachineCpu.Reading r = MachineCpu.parse("cpu 1 2 3 4 5 6 7 8");
        assertThat(MachineCpu.busyShare(null, r)).isNaN();
        assertThat(MachineCpu.busyShare(r, null)).isNaN();
        assertThat(MachineCpu.busyShare(r, r)).isNaN();
    }

    @Test
    void aPerCoreLineOrAShortLineIsRefused() {
        assertThatThrownBy(() -> MachineCpu.parse("cpu0 1 2 3 4 5 6 7 8")).hasMessageContaining("aggregate cpu line");
        assertThatThrownBy(() -> MachineCpu.parse("cpu 1 2 3")).hasMessageContaining("aggregate cpu line");
    }
}
