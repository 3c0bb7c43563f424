package dev.gopo.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.launcher.soak.GroupAccounting.Keyed;
import dev.gopo.launcher.soak.GroupAccounting.Observed;
import dev.gopo.launcher.soak.GroupAccounting.Pending;
import dev.gopo.launcher.soak.GroupAccounting.Tally;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GroupAccountingTest {
    /** Prompts g0..g7 on partition 0 at offsets 0..7. */
    private static final List<Keyed> GROUPS = List.of(k("g0", 0), k("g1", 1), k("g2", 2), k("g3", 3), k("g4", 4), k("g5", 5), k("g6", 6),
            k("g7", 7));

    @Test
    void everyGroupLandsInExactlyOneBucket() {
        // g0, g1 trained; g2 dead-lettered; g3 ranked after the checkpoint; g4 sampled; g5..g7 not yet sampled (committed 5)
        Observed o = new Observed(GROUPS, Map.of(0, 5L), List.of("g0", "g1"), List.of(k("g0", 0), k("g1", 1), k("g2", 2), k("g3", 3)),
                Map.of(0, 3L), List.of(Map.entry("g2", "STALE_POLICY")), Set.of("g0", "g1", "g2", "g3", "g4"));

        Tally t = GroupAccounting.account(o);

        assertThat(t.produced()).isEqualTo(8);
        assertThat(t.trained()).isEqualTo(2);
        assertThat(t.deadLettered()).containsExactly(Map.entry("STALE_POLICY", 1));
        assertThat(t.pending()).containsEntry(Pending.RANKED, 1).containsEntry(Pending.SAMPLED, 1).containsEntry(Pending.NOT_SAMPLED, 3);
        assertThat(t.lostIds()).isEmpty();
        assertThat(t.clean()).isTrue();
        assertThat(t.trained() + t.deadLetteredTotal() + t.pendingTotal() + t.lost()).isEqualTo(t.produced());
    }

    @Test
    void aRankedGroupBehindTheCheckpointThatWasNeitherTrainedNorDeadLetteredIsLost() {
        Observed o = new Observed(List.of(k("g0", 0), k("g1", 1)), Map.of(0, 2L), List.of("g0"), List.of(k("g0", 0), k("g1", 1)),
                Map.of(0, 2L), List.of(), Set.of("g0", "g1"));

        Tally t = GroupAccounting.account(o);

        assertThat(t.lostIds()).containsExactly("g1");
        assertThat(t.clean()).isFalse();
    }

    @Test
    void aConsumedPromptWithoutCompletionsOrDeadLetterIsLost() {
        Observed o = new Observed(List.of(k("g0", 0), k("g1", 1)), Map.of(0, 2L), List.of("g0"), List.of(k("g0", 0)), Map.of(0, 1L),
                List.of(), Set.of("g0"));

        assertThat(GroupAccounting.account(o).lostIds()).containsExactly("g1");
    }

    @Test
    void groupsTrainedTwiceOrEmittedTwiceAreDoubled() {
        Observed o = new Observed(List.of(k("g0", 0), k("g1", 1)), Map.of(0, 2L), List.of("g0", "g1", "g0"),
                List.of(k("g0", 0), k("g1", 1), k("g1", 2)), Map.of(0, 3L), List.of(), Set.of("g0", "g1"));

        Tally t = GroupAccounting.account(o);

        assertThat(t.doubledLedgerIds()).containsExactly("g0");
        assertThat(t.doubledAdvantageIds()).containsExactly("g1");
        assertThat(t.trained()).isEqualTo(2);
        assertThat(t.clean()).isFalse();
    }

    @Test
    void aTrainedGroupWithALateDeadLetterStaysTrainedAndIsNotedApart() {
        Observed o = new Observed(List.of(k("g0", 0)), Map.of(0, 1L), List.of("g0"), List.of(k("g0", 0)), Map.of(0, 1L),
                List.of(Map.entry("g0", "GROUP_TIMEOUT")), Set.of("g0"));

        Tally t = GroupAccounting.account(o);

        assertThat(t.trained()).isEqualTo(1);
        assertThat(t.deadLetteredTotal()).isZero();
        assertThat(t.trainedAlsoDeadLettered()).containsExactly(Map.entry("GROUP_TIMEOUT", 1));
    }

    @Test
    void ledgerIdsThatNoPromptExplainsAreReported() {
        Observed o = new Observed(List.of(k("g0", 0)), Map.of(0, 1L), List.of("g0", "stray"), List.of(k("g0", 0)), Map.of(0, 1L),
                List.of(), Set.of("g0"));

        Tally t = GroupAccounting.account(o);

        assertThat(t.unknownTrained()).containsExactly("stray");
        assertThat(t.clean()).isFalse();
    }

    private static Keyed k(String id, long offset) {
        return new Keyed(id, 0, offset);
    }
}
