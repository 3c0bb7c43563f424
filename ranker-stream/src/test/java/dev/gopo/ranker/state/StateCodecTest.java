package dev.gopo.ranker.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.ranker.state.avro.StoredCompletion;
import dev.gopo.ranker.state.avro.StoredPrompt;
import java.util.List;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class StateCodecTest {
    private final StateCodec<StoredCompletion> codec = new StateCodec<>(StoredCompletion.class);

    @Test
    void roundTripWithAVersionByte() {
        StoredCompletion c = new StoredCompletion(List.of(5, 6, 7), List.of(-0.5f, -1f, -2f), 9L, "gen-a", 0.25, 44L, 0.7);
        byte[] bytes = codec.encode(c);
        assertThat(bytes[0]).isEqualTo(StateCodec.FORMAT_VERSION);
        assertThat(codec.decode(bytes)).isEqualTo(c);
        // the buffer is reused: a second value must not leak bytes of the first
        StoredCompletion small = new StoredCompletion(List.of(), List.of(), 1L, "g", null, 0L, 1.0);
        assertThat(codec.decode(codec.encode(small))).isEqualTo(small);
    }

    /** A changelog written by the previous release (format 1, no policyStep/temperature) still restores, with the defaults. */
    @Test
    @Timeout(10)
    void format1ValuesOfThePreviousReleaseReadWithTheNewFieldsDefaults() throws Exception {
        Schema format1;
        try (InputStream in = StateCodec.class.getResourceAsStream("format1/StoredCompletion.avsc")) {
            format1 = new Schema.Parser().parse(in);
        }
        assertThat(format1.getField("policyStep")).isNull();
        GenericRecord old = new GenericData.Record(format1);
        old.put("tokenIds", List.of(5, 6));
        old.put("behaviourLogProbs", List.of(-0.5f, -1f));
        old.put("policyVersion", 3L);
        old.put("generatorId", "gen-old");
        old.put("inlineReward", 0.5);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(1);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(format1).write(old, encoder);
        encoder.flush();

        StoredCompletion read = codec.decode(out.toByteArray());
        assertThat(read).isEqualTo(new StoredCompletion(List.of(5, 6), List.of(-0.5f, -1f), 3L, "gen-old", 0.5, 0L, 1.0));
        // the byte-range view the assembler uses upgrades it to format 2 on the fly
        StoredCompletionBytes view = StoredCompletionBytes.read(out.toByteArray());
        assertThat(view.bytes()).isEqualTo(codec.encode(read));
        assertThat(view.inlineReward()).isEqualTo(0.5);
        // and values of the unchanged types written as format 1 read as they are
        StateCodec<dev.gopo.ranker.state.avro.StoredReward> rewards = new StateCodec<>(dev.gopo.ranker.state.avro.StoredReward.class);
        byte[] reward = rewards.encode(new dev.gopo.ranker.state.avro.StoredReward(1.5, 2, 7L));
        reward[0] = 1;
        assertThat(rewards.decode(reward).getReward()).isEqualTo(1.5);
    }

    @Test
    void theByteRangeViewsSplitAStoredValueWhereTheEmittedRecordNeedsIt() {
        StoredCompletion c = new StoredCompletion(List.of(5, 600, 70_000), List.of(-0.5f, -1f, -2f), 9L, "gen-a", null, 44L, 0.7);
        byte[] bytes = codec.encode(c);
        StoredCompletionBytes view = StoredCompletionBytes.read(bytes);
        assertThat(view.inlineReward()).isNull();
        AvroBytes.Writer w = new AvroBytes.Writer(16);
        assertThat(StoredCompletionBytes.encode(w, bytes, view.payloadFrom(), view.payloadTo(), null, 44L, 0.7)).isEqualTo(bytes);
        assertThat(java.util.Arrays.copyOfRange(bytes, view.tailFrom(), view.tailTo()))
                .isEqualTo(new AvroBytes.Writer(16).writeLong(44L).writeDouble(0.7).toByteArray());

        StateCodec<StoredPrompt> prompts = new StateCodec<>(StoredPrompt.class);
        byte[] prompt = prompts.encode(new StoredPrompt("p-1", "task", List.of(1, 2, 3)));
        StoredPromptBytes p = StoredPromptBytes.read(prompt);
        assertThat(StoredPromptBytes.encode(w, prompt, p.idAndTaskFrom(), p.idAndTaskTo(), p.tokensFrom(), p.tokensTo())).isEqualTo(prompt);
        assertThat(p.tokensFrom()).isEqualTo(1 + 4 + 5);
        byte[] corrupt = java.util.Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> StoredCompletionBytes.read(corrupt)).isInstanceOf(IllegalStateException.class).hasMessageContaining("corrupt");
    }

    @Test
    void anotherFormatVersionFailsWithAMessageSayingWhatToDo() {
        byte[] bytes = codec.encode(new StoredCompletion(List.of(1), List.of(-1f), 1L, "g", null, 2L, 1.0));
        bytes[0] = 9;
        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("format version 9").hasMessageContaining("different ranker release");
    }

    @Test
    void deadlineKeysSortByTimeAndCarryTheGroupId() {
        Bytes early = StoreKeys.deadline(1_000, "zzz");
        Bytes late = StoreKeys.deadline(2_000, "aaa");
        assertThat(early.compareTo(late)).isNegative();
        assertThat(StoreKeys.deadline(2_000, "\uffff-group").compareTo(StoreKeys.deadlineUpperBound(2_000))).isNegative();
        assertThat(StoreKeys.deadlineUpperBound(2_000).compareTo(StoreKeys.deadline(2_001, ""))).isNegative();
        assertThat(StoreKeys.groupIdOf(late)).isEqualTo("aaa");
        assertThat(StoreKeys.deadlineOf(late)).isEqualTo(2_000);
        // one group's keys are never a prefix of another's
        assertThat(StoreKeys.member("ab", StoreKeys.HEADER).get()).isNotEqualTo(StoreKeys.member("a", StoreKeys.HEADER).get());
    }
}
