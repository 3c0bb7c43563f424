package dev.gopo.rewardproducer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.Completion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.Tokenizer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CompletionCheckTest {
    private static final Tokenizer TOKENIZER = Tokenizer.ascii();

    static Completion completion(String groupId, int index, int groupSize, String prompt, String text, List<Integer> tokenIds) {
        List<Integer> promptIds = IntStream.of(TOKENIZER.encodePrompt(prompt)).boxed().toList();
        return Completion.newBuilder().setGroupId(groupId).setPromptId("p-" + groupId).setTask("summarise").setIndex(index)
                .setGroupSize(groupSize).setPromptTokenIds(promptIds).setTokenIds(tokenIds)
                .setBehaviourLogProbs(tokenIds.stream().map(t -> -1.0f).toList()).setPolicyVersion(0).setGeneratorId("gen")
                .setText(text).setSampledAtMs(1L).build();
    }

    private static ConsumerRecord<String, byte[]> raw(String key) {
        return new ConsumerRecord<>("t.completions", 0, 5L, key, new byte[] {0});
    }

    @Test
    void usesTheTextFieldAndDecodesThePrompt() {
        Completion c = completion("g1", 1, 4, "sum: a b a", "a", List.of(40, Tokenizer.EOS));
        var result = CompletionCheck.check(raw("g1"), c, TOKENIZER);
        assertThat(result).isInstanceOf(CompletionCheck.Scorable.class);
        var scorable = (CompletionCheck.Scorable) result;
        assertThat(scorable.prompt()).isEqualTo("sum: a b a");
        assertThat(scorable.text()).isEqualTo("a");
    }

    @Test
    void decodesTokenIdsWhenThereIsNoText() {
        List<Integer> ids = IntStream.concat(IntStream.of(TOKENIZER.encode("sky cat")), IntStream.of(Tokenizer.EOS)).boxed().toList();
        var result = CompletionCheck.check(raw("g1"), completion("g1", 0, 2, "sum: x", null, ids), TOKENIZER);
        assertThat(((CompletionCheck.Scorable) result).text()).isEqualTo("sky cat");
    }

    @Test
    void rejectsWhatWouldGiveAnInvalidReward() {
        var wrongKey = CompletionCheck.check(raw("other"), completion("g1", 0, 2, "p", "x", List.of()), TOKENIZER);
        assertThat(reason(wrongKey)).isEqualTo(DeadLetterReason.INCONSISTENT_RECORD);
        assertThat(((CompletionCheck.Rejected) wrongKey).detail()).contains("key 'other'").contains("groupId 'g1'");
        assertThat(reason(CompletionCheck.check(raw(null), completion("g1", 0, 2, "p", "x", List.of()), TOKENIZER)))
                .isEqualTo(DeadLetterReason.INCONSISTENT_RECORD);
        assertThat(reason(CompletionCheck.check(raw("g1"), completion("g1", 2, 2, "p", "x", List.of()), TOKENIZER)))
                .isEqualTo(DeadLetterReason.INDEX_OUT_OF_RANGE);
        assertThat(reason(CompletionCheck.check(raw("g1"), completion("g1", -1, 2, "p", "x", List.of()), TOKENIZER)))
                .isEqualTo(DeadLetterReason.INDEX_OUT_OF_RANGE);
        assertThat(reason(CompletionCheck.check(raw("g1"), completion("g1", 0, 2, "p", null, List.of(5, 999)), TOKENIZER)))
                .isEqualTo(DeadLetterReason.MODEL_MISMATCH);
    }

    /** D1 of issue 10: the text field is no excuse, the learner trains on the ids; before, this was scored. */
    @Test
    void rejectsTokenIdsOutsideTheVocabularyEvenWithText() {
        var result = CompletionCheck.check(raw("g1"), completion("g1", 0, 2, "p", "fine text", List.of(99999, Tokenizer.EOS)), TOKENIZER);
        assertThat(reason(result)).isEqualTo(DeadLetterReason.MODEL_MISMATCH);
        assertThat(((CompletionCheck.Rejected) result).detail())
                .contains("completion token 99999 at position 0 is outside the vocabulary [0, " + TOKENIZER.vocabSize() + ")");
        Completion badPrompt = Completion.newBuilder(completion("g1", 0, 2, "p", "x", List.of(Tokenizer.EOS)))
                .setPromptTokenIds(List.of(Tokenizer.BOS, -3, Tokenizer.SEP)).build();
        assertThat(reason(CompletionCheck.check(raw("g1"), badPrompt, TOKENIZER))).isEqualTo(DeadLetterReason.MODEL_MISMATCH);
    }

    private static DeadLetterReason reason(CompletionCheck.Result result) {
        assertThat(result).isInstanceOf(CompletionCheck.Rejected.class);
        return ((CompletionCheck.Rejected) result).reason();
    }
}
