package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class StepBudgetTest {

    @Test
    void sharesOfAllGeneratorsAddUpToExactlyTheStepsGroups() {
        for (int k = 1; k <= 5; k++) {
            for (long steps = 0; steps <= 30; steps++) {
                long total = 0;
                for (int i = 0; i < k; i++) {
                    total += new StepBudget(16, k, i, 1).share(steps);
                }
                assertThat(total).as("k=%d, %d steps", k, steps).isEqualTo(steps * 16);
            }
        }
    }

    @Test
    void windowIsHalfTheBoundButAtLeastOneVersionInterval() {
        assertThat(StepBudget.forLearner(16, 1, 0, 25, Long.MAX_VALUE, 10).windowSteps()).as("defaults: ceil(26 / 2)").isEqualTo(13);
        assertThat(StepBudget.forLearner(16, 1, 0, 0, -1, 1).windowSteps()).as("lockstep").isEqualTo(1);
        assertThat(StepBudget.forLearner(16, 1, 0, 1, -1, 1).windowSteps()).isEqualTo(1);
        assertThat(StepBudget.forLearner(16, 1, 0, 4, -1, 1).windowSteps()).isEqualTo(3);
        assertThat(StepBudget.forLearner(16, 1, 0, 9, -1, 10).windowSteps()).as("never below the version interval").isEqualTo(10);
        // one version of lag at a version every 10 steps: a group sampled at step 10v is admitted up to step 10v + 19
        assertThat(StepBudget.forLearner(16, 1, 0, 25, 1, 10).windowSteps()).isEqualTo(10);
        assertThat(StepBudget.forLearner(16, 1, 0, 60, 2, 10).windowSteps()).as("B' = 29").isEqualTo(15);
    }

    @Test
    void lockstepLedgerAllowsOneStepOfGroupsPerAnnouncedStep() {
        StepBudget.Ledger ledger = new StepBudget.Ledger(StepBudget.forLearner(4, 1, 0, 0, -1, 1), 0);
        assertThat(ledger.exhausted(3)).isFalse();
        assertThat(ledger.exhausted(4)).isTrue();
        ledger.announced(1, 4);
        assertThat(ledger.allowance()).isEqualTo(8);
        ledger.announced(1, 8);
        assertThat(ledger.exhausted(8)).as("the same step again adds nothing").isTrue();
    }

    @Test
    void aGeneratorThatFellBehindGetsOneWindowNotTheBacklog() {
        StepBudget.Ledger ledger = new StepBudget.Ledger(new StepBudget(16, 1, 0, 2), 0);
        ledger.announced(100, 5); // restarted into a pipeline at step 100 with only 5 groups sampled
        assertThat(ledger.allowance()).isEqualTo(5 + 32);
    }

    @Test
    void aStarvedLearnerGetsOneMoreStepAfterTheStallThresholdNotBefore() {
        long s = 1_000_000_000L;
        StepBudget.Ledger ledger = new StepBudget.Ledger(new StepBudget(4, 1, 0, 1), 0);
        ledger.announced(1, 4, 0);
        ledger.announced(2, 8, 10 * s); // announcements 10 s apart: threshold max(60 s, 30 s) = 60 s
        assertThat(ledger.stallThresholdNanos()).isEqualTo(60 * s);
        assertThat(ledger.exhausted(12)).isTrue();
        assertThat(ledger.grantIfStalled(12, 11 * s)).as("the clock starts when the budget is first seen used up").isFalse();
        assertThat(ledger.grantIfStalled(12, 70 * s)).as("59 s: not yet").isFalse();
        assertThat(ledger.grantIfStalled(12, 71 * s)).isTrue();
        assertThat(ledger.allowance()).isEqualTo(16);
        assertThat(ledger.grantIfStalled(12, 72 * s)).as("not exhausted any more").isFalse();
        ledger.announced(3, 16, 200 * s); // this gap needed a grant: it measures the stall, not the learner's pace
        assertThat(ledger.allowance()).as("the grant stays: the lost group stays lost").isEqualTo(20);
        assertThat(ledger.stallThresholdNanos()).isEqualTo(60 * s);
        ledger.announced(4, 20, 400 * s); // a slow learner: 200 s between announcements -> threshold 600 s
        assertThat(ledger.stallThresholdNanos()).isEqualTo(600 * s);
        assertThat(ledger.grantIfStalled(24, 401 * s)).isFalse();
        assertThat(ledger.grantIfStalled(24, 1000 * s)).as("599 s < 3 x 200 s").isFalse();
        assertThat(ledger.grantIfStalled(24, 1001 * s)).isTrue();
    }

    /**
     * The pipeline in miniature with groups lost on the way: k generators, a learner that needs N groups per step and
     * announces every C steps, and one group in five dead-lettered before it reaches the learner. Without stall grants
     * the budget runs dry after (W - C) N losses and everything waits for good; with them the learner keeps going.
     */
    @Test
    void lostGroupsDoNotStallThePipelineForGood() {
        int n = 4;
        int k = 2;
        int c = 2;
        long s = 1_000_000_000L;
        List<StepBudget.Ledger> ledgers = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            ledgers.add(new StepBudget.Ledger(StepBudget.forLearner(n, k, i, 3, -1, c), 0));
        }
        long[] sampled = new long[k];
        long usable = 0;
        long produced = 0;
        int step = 0;
        long now = 0;
        for (int tick = 0; tick < 20_000 && step < 50; tick++, now += s) {
            for (int i = 0; i < k; i++) {
                StepBudget.Ledger ledger = ledgers.get(i);
                ledger.grantIfStalled(sampled[i], now);
                if (!ledger.exhausted(sampled[i])) {
                    sampled[i]++;
                    produced++;
                    if (produced % 5 != 0) {
                        usable++;
                    }
                }
            }
            if (usable >= n) {
                usable -= n;
                step++;
                if (step % c == 0) {
                    for (int i = 0; i < k; i++) {
                        ledgers.get(i).announced(step, sampled[i], now);
                    }
                }
            }
        }
        assertThat(step).as("learner steps reached despite one group in five lost (%d s simulated)", now / s).isEqualTo(50);
    }


    @Test
    void offNeverHolds() {
        assertThat(new StepBudget.Ledger(StepBudget.OFF, 0).exhausted(Long.MAX_VALUE - 1)).isFalse();
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> new StepBudget(16, 2, 2, 1)).hasMessageContaining("--generator-index");
        assertThatThrownBy(() -> new StepBudget(0, 1, 0, 1)).hasMessageContaining("--groups-per-step");
        assertThatThrownBy(() -> StepBudget.forLearner(16, 1, 0, -1, -1, 1)).hasMessageContaining("--max-staleness-steps");
    }

    /**
     * A pipeline simulated in order: k generators sample in turns while their budget lasts, the learner trains a step
     * whenever N groups are queued and announces every C steps. No group may be older than B when trained, and the learner
     * must reach its last step (no deadlock), for every bound B >= C - 1.
     */
    @Test
    void simulatedPipelineDropsNothingAndNeverStops() {
        int n = 5;
        for (int k = 1; k <= 3; k++) {
            for (int c = 1; c <= 4; c++) {
                for (long b = c - 1; b <= c + 3; b++) {
                    assertThat(simulate(n, k, c, b, 60)).as("k=%d C=%d B=%d", k, c, b).isLessThanOrEqualTo(b);
                }
            }
        }
    }

    /** The largest staleness trained on, or fails when the learner cannot reach {@code steps}. */
    private static long simulate(int n, int k, int c, long b, int steps) {
        List<StepBudget.Ledger> ledgers = new ArrayList<>();
        long[] sampled = new long[k];
        for (int i = 0; i < k; i++) {
            ledgers.add(new StepBudget.Ledger(StepBudget.forLearner(n, k, i, b, -1, c), 0));
        }
        Deque<Long> queue = new ArrayDeque<>();
        long announced = 0;
        long learnerStep = 0;
        long maxLag = 0;
        while (learnerStep < steps) {
            boolean progress = false;
            for (int i = 0; i < k; i++) {
                if (!ledgers.get(i).exhausted(sampled[i])) {
                    queue.add(announced);
                    sampled[i]++;
                    progress = true;
                }
            }
            while (queue.size() >= n && learnerStep < steps) {
                for (int j = 0; j < n; j++) {
                    maxLag = Math.max(maxLag, learnerStep - queue.poll());
                }
                learnerStep++;
                progress = true;
                if (learnerStep % c == 0) {
                    announced = learnerStep;
                    for (int i = 0; i < k; i++) {
                        ledgers.get(i).announced(announced, sampled[i]);
                    }
                }
            }
            assertThat(progress).as("pipeline stopped at step %d (k=%d C=%d B=%d)", learnerStep, k, c, b).isTrue();
        }
        return maxLag;
    }
}
