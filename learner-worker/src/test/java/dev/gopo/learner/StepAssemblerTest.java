package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.policy.training.TrainingSequence;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class StepAssemblerTest {
    private static ConsumerRecord<String, byte[]> record(String key) {
        return new ConsumerRecord<>("advantages", 0, key.charAt(0), key, new byte[] {1});
    }

    /** A group as the learner's prefetch thread hands it over: with its record and training sequences. */
    private static StepAssembler.Accepted accepted(AdvantageGroup group, String key) {
        return new StepAssembler.Accepted(group, record(key), StepAssembler.sequences(List.of(group)));
    }

    @Test
    void emitsAStepEveryGroupsPerStepGroups() {
        StepAssembler assembler = new StepAssembler(3);
        assertThat(assembler.add(accepted(Fixtures.group("a", 2, 0, 1), "a"))).isEmpty();
        assertThat(assembler.add(accepted(Fixtures.group("b", 2, 0, 2), "b"))).isEmpty();
        assertThat(assembler.add(accepted(Fixtures.group("c", 2, 0, 3), "c"))).hasValueSatisfying(s ->
                assertThat(s).extracting(a -> a.group().getGroupId() + "@" + a.record().key()).containsExactly("a@a", "b@b", "c@c"));
        assertThat(assembler.pendingGroups()).isZero();
    }

    @Test
    void sequencesCarryPromptTokensLogProbsAndAdvantages() {
        AdvantageGroup g = Fixtures.group("a", 3, 0, 7);
        List<TrainingSequence> seqs = StepAssembler.sequences(List.of(g));
        assertThat(seqs).hasSize(3);
        assertThat(seqs).extracting(TrainingSequence::advantage).containsExactly(2.0, 0.0, -2.0);
        assertThat(seqs.get(1).completionTokens()).hasSize(g.getCompletions().get(1).getTokenIds().size());
        assertThat(seqs.get(0).promptTokens()).containsExactly(1, 40, 41, 42, 3);
    }

    @Test
    void inconsistentCompletionIsRejected() {
        AdvantageGroup g = Fixtures.group("a", 2, 0, 1);
        g.getCompletions().get(0).setBehaviourLogProbs(List.of(-1f));
        assertThatThrownBy(() -> StepAssembler.sequences(List.of(g))).hasMessageContaining("must match one to one");
    }

    @Test
    void badSettingsAreRejected() {
        assertThatThrownBy(() -> new StepAssembler(0)).hasMessageContaining("groupsPerStep");
    }
}
