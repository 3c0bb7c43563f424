package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.training.LossNormaliser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class GroupAdmissionTest {
    private static final GroupAdmission STEPS_5 = new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, 1.0);

    /** Group of 4 sampled at version 2 / step 10, except completion 2, sampled earlier at {@code (version, step)}. */
    private static AdvantageGroup mixed(long version, long step) {
        AdvantageGroup g = Fixtures.group("a", 4, 2, 10, 1.0, 1, -4.5f);
        List<ScoredCompletion> cs = new ArrayList<>(g.getCompletions());
        cs.set(2, ScoredCompletion.newBuilder(cs.get(2)).setPolicyVersion(version).setPolicyStep(step).build());
        g.setCompletions(cs);
        return g;
    }

    @Test
    void lagIsMeasuredInOptimiserStepsFromTheOldestCompletion() {
        AdvantageGroup g = mixed(1, 7);
        assertThat(GroupAdmission.stepLag(g, 12)).isEqualTo(5);      // 12 - min(10, 7)
        assertThat(GroupAdmission.versionLag(g, 2)).isEqualTo(1);    // 2 - min(2, 1)
        assertThat(STEPS_5.check(g, 12, 2)).as("lag 5 = bound").isEmpty();
        assertThat(STEPS_5.check(g, 13, 2)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.STALE_POLICY);
            assertThat(r.detail()).contains("6 optimiser steps old", "current step 13", "--max-staleness-steps 5");
        });
    }

    /** One version per 5 steps: a version lag of 1 may hide 9 steps; the step bound sees them. */
    @Test
    void theStepBoundCatchesWhatTheVersionBoundMisses() {
        GroupAdmission both = new GroupAdmission(4, 1, 1.0);
        AdvantageGroup g = Fixtures.group("a", 2, 1, 5, 1.0, 1, -4.5f);
        assertThat(GroupAdmission.versionLag(g, 2)).isEqualTo(1);
        assertThat(both.check(g, 14, 2)).hasValueSatisfying(r -> assertThat(r.detail()).contains("9 optimiser steps old"));
        assertThat(both.check(g, 9, 2)).isEmpty();
        // the optional version bound still applies on its own
        assertThat(both.check(Fixtures.group("b", 2, 0, 9, 1.0, 1, -4.5f), 9, 2))
                .hasValueSatisfying(r -> assertThat(r.detail()).contains("2 policy versions old", "--max-policy-lag 1"));
    }

    @Test
    void aCompletionFromTheFutureIsRefusedNotTrainedAsOnPolicy() {
        assertThat(STEPS_5.check(mixed(1_000_000, 7), 12, 2)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.FUTURE_POLICY);
            assertThat(r.detail()).contains("policy version 1000000", "this learner is at version 2, step 12");
        });
        assertThat(STEPS_5.check(mixed(1, 13), 12, 2)).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.FUTURE_POLICY));
        assertThat(STEPS_5.check(mixed(1, 12), 12, 2)).as("the current step itself is fine").isEmpty();
    }

    @Test
    void inReplayTheRecordedClockIsNeitherFutureNorStaleButTemperatureAndLengthStillCount() {
        GroupAdmission replay = new GroupAdmission(5, 1, 1.0, LossNormaliser.tokenMean(), true);
        // recorded at step 1000 / version 90 of another learner, replayed by a learner at step 0 / version 0
        assertThat(replay.check(mixed(90, 1000), 0, 0)).isEmpty();
        // very old on this learner's clock: no staleness drop either
        assertThat(replay.check(mixed(0, 0), 500, 50)).isEmpty();
        // the same groups online are refused
        assertThat(new GroupAdmission(5, 1, 1.0, LossNormaliser.tokenMean(), false).check(mixed(90, 1000), 0, 0))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.FUTURE_POLICY));
        assertThat(new GroupAdmission(5, 1, 1.0, LossNormaliser.tokenMean(), false).check(mixed(0, 0), 500, 50))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.STALE_POLICY));
        AdvantageGroup hot = Fixtures.group("a", 3, 7, 70, 0.7, 1, -4.5f);
        assertThat(replay.check(hot, 0, 0)).hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.TEMPERATURE_MISMATCH));
        AdvantageGroup g = Fixtures.group("a", 3, 7, 70, 1.0, 1, -4.5f);
        int longest = g.getCompletions().stream().mapToInt(c -> c.getTokenIds().size()).max().orElseThrow();
        assertThat(new GroupAdmission(5, 1, 1.0, LossNormaliser.constant(longest - 1), true).check(g, 0, 0))
                .hasValueSatisfying(r -> assertThat(r.reason()).isEqualTo(DeadLetterReason.INCONSISTENT_RECORD));
    }

    @Test
    void aDifferentSamplingTemperatureIsRefused() {
        AdvantageGroup g = Fixtures.group("a", 3, 0, 0, 0.7, 1, -4.5f);
        assertThat(STEPS_5.check(g, 0, 0)).hasValueSatisfying(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.TEMPERATURE_MISMATCH);
            assertThat(r.detail()).contains("temperature 0.7", "at temperature 1.0", "same --temperature");
        });
        assertThat(new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, 0.7).check(g, 0, 0)).isEmpty();
        // a value parsed from another spelling of the same decimal is the same temperature
        assertThat(new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, Double.parseDouble("0.70")).check(g, 0, 0)).isEmpty();
    }

    /** Dr. GRPO's constant normaliser: a completion longer than its budget is refused alone instead of failing the whole step. */
    @Test
    void aCompletionLongerThanTheDrGrpoBudgetIsAnInconsistentRecord() {
        AdvantageGroup g = Fixtures.group("a", 4, 0, 0, 1.0, 1, -4.5f);
        int longest = g.getCompletions().stream().mapToInt(c -> c.getTokenIds().size()).max().orElseThrow();
        ScoredCompletion over = g.getCompletions().stream().filter(c -> c.getTokenIds().size() == longest).findFirst().orElseThrow();
        assertThat(new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, 1.0, LossNormaliser.constant(longest)).check(g, 0, 0))
                .as("a completion of exactly the budget fits").isEmpty();
        assertThat(new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, 1.0, LossNormaliser.constant(longest - 1)).check(g, 0, 0))
                .hasValueSatisfying(r -> {
                    assertThat(r.reason()).isEqualTo(DeadLetterReason.INCONSISTENT_RECORD);
                    assertThat(r.detail()).contains("completion " + over.getIndex() + " of group a", "has " + longest + " tokens",
                            "--max-completion-tokens " + (longest - 1), "--max-new-tokens");
                });
        assertThat(new GroupAdmission(5, LearnerConfig.NO_VERSION_BOUND, 1.0, LossNormaliser.tokenMean()).check(g, 0, 0))
                .as("token-level averaging has no budget").isEmpty();
        assertThat(STEPS_5.check(g, 0, 0)).as("the three-argument form averages over tokens").isEmpty();
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new GroupAdmission(-1, 1, 1.0)).hasMessageContaining("maxStalenessSteps");
        assertThatThrownBy(() -> new GroupAdmission(1, -1, 1.0)).hasMessageContaining("maxPolicyLag");
        assertThatThrownBy(() -> new GroupAdmission(1, 1, 0)).hasMessageContaining("temperature");
        assertThatThrownBy(() -> new GroupAdmission(1, 1, 1.0, null)).hasMessageContaining("normaliser");
    }
}
