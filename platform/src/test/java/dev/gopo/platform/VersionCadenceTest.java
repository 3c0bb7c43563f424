package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class VersionCadenceTest {

    @Test
    void versionsAtCheckpointsNeedABoundOfAtLeastTheIntervalMinusOne() {
        VersionCadence cadence = VersionCadence.atCheckpoints(10);
        assertThat(cadence.stepsBetweenVersions()).isEqualTo(10);
        assertThat(cadence.smallestStalenessBound()).isEqualTo(9);
        assertThat(cadence.isBelowSmallestBound(9)).as("N - 1").isFalse();
        assertThat(cadence.isBelowSmallestBound(8)).as("N - 2").isTrue();
        assertThat(cadence.requireStalenessBound(9)).isEqualTo(9);
        assertThat(cadence.requireStalenessBound(25)).isEqualTo(25);
        assertThatThrownBy(() -> cadence.requireStalenessBound(8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void announcingEveryStepIsAVersionEveryStepWhateverTheCheckpointInterval() {
        VersionCadence cadence = VersionCadence.everyStep(10);
        assertThat(cadence.stepsBetweenVersions()).isEqualTo(1);
        assertThat(cadence.smallestStalenessBound()).isZero();
        assertThat(cadence.isBelowSmallestBound(0)).as("lockstep").isFalse();
        assertThat(cadence.requireStalenessBound(0)).isZero();
        assertThat(VersionCadence.atCheckpoints(1).requireStalenessBound(0)).as("a checkpoint every step").isZero();
    }

    @Test
    void theMessageNamesBothOptionsTheirValuesAndTheFix() {
        assertThatThrownBy(() -> VersionCadence.atCheckpoints(10).requireStalenessBound(3))
                .hasMessage("--max-staleness-steps 3 is below --checkpoint-every 10 - 1 = 9: generators get new weights only at "
                        + "checkpoints, so the groups they sample for the steps up to the next one would be dropped as stale and the "
                        + "pipeline would stall (StepBudget). Raise --max-staleness-steps to at least 9 or lower --checkpoint-every "
                        + "to at most 4");
        assertThat(VersionCadence.atCheckpoints(6).belowSmallestBoundMessage(0))
                .contains("--max-staleness-steps 0", "--checkpoint-every 6 - 1 = 5", "at least 5", "at most 1");
    }

    @Test
    void negativeBoundsAndIntervalsAreRefusedWithTheirOwnMessages() {
        assertThatThrownBy(() -> VersionCadence.everyStep(10).requireStalenessBound(-1))
                .hasMessage("--max-staleness-steps must be >= 0 optimiser steps (0 = strictly on-policy), got -1");
        assertThatThrownBy(() -> VersionCadence.atCheckpoints(0)).hasMessage("--checkpoint-every must be >= 1 step, got 0");
    }
}
