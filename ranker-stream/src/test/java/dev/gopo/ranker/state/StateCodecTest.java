package dev.gopo.ranker.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.ranker.state.avro.StoredCompletion;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

class StateCodecTest {
    private final StateCodec<StoredCompletion> codec = new StateCodec<>(StoredCompletion.class);

    @Test
    void roundTripWithAVersionByte() {
        StoredCompletion c = new StoredCompletion(List.of(5, 6, 7), List.of(-0.5f, -1f, -2f), 9L, "gen-a", 0.25);
        byte[] bytes = codec.encode(c);
        assertThat(bytes[0]).isEqualTo(StateCodec.FORMAT_VERSION);
        assertThat(codec.decode(bytes)).isEqualTo(c);
        // the buffer is reused: a second value must not leak bytes of the first
        StoredCompletion small = new StoredCompletion(List.of(), List.of(), 1L, "g", null);
        assertThat(codec.decode(codec.encode(small))).isEqualTo(small);
    }

    @Test
    void anotherFormatVersionFailsWithAMessageSayingWhatToDo() {
        byte[] bytes = codec.encode(new StoredCompletion(List.of(1), List.of(-1f), 1L, "g", null));
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
