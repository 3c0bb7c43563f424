package dev.gopo.ranker.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.ranker.state.avro.GroupHeader;
import dev.gopo.ranker.state.avro.GroupStatus;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class HeaderCodecTest {
    private final StateCodec<GroupHeader> avro = new StateCodec<>(GroupHeader.class);

    private static BitSet bits(int... indices) {
        BitSet b = new BitSet();
        Arrays.stream(indices).forEach(b::set);
        return b;
    }

    private static List<GroupState> samples() {
        return List.of(
                GroupState.open(1_700_000_000_000L, 1_700_000_300_000L),
                new GroupState(GroupStatus.OPEN, 8, 5L, 300_005L, 1234L, 0L, bits(0, 3, 7), bits(0, 7), bits(3), new BitSet()),
                new GroupState(GroupStatus.PARTIAL, 128, Long.MAX_VALUE, -1L, Long.MIN_VALUE, 42L, new BitSet(), new BitSet(), new BitSet(),
                        bits(0, 63, 64, 127)),
                new GroupState(GroupStatus.EXPIRED, 0, 0L, 0L, 0L, 99L, new BitSet(), new BitSet(), bits(1000), new BitSet()),
                new GroupState(GroupStatus.EMITTED, 8, 1L, 2L, 3L, 4L, new BitSet(), new BitSet(), new BitSet(), bits(0, 1, 2, 3, 4, 5, 6, 7)));
    }

    private static GroupHeader header(GroupState s) {
        return new GroupHeader(s.status, s.groupSize, s.firstSeenMs, s.deadlineMs, s.lastEventMs, ByteBuffer.wrap(s.completions.toByteArray()),
                ByteBuffer.wrap(s.inlineRewards.toByteArray()), ByteBuffer.wrap(s.externalRewards.toByteArray()), s.closedAtMs,
                ByteBuffer.wrap(s.emitted.toByteArray()));
    }

    @Test
    void writesTheBytesAvroWrites() {
        AvroBytes.Writer w = new AvroBytes.Writer(1);
        for (GroupState s : samples()) {
            w.reset();
            HeaderCodec.write(w, s);
            assertThat(w.toByteArray()).as("%s", header(s)).isEqualTo(avro.encode(header(s)));
        }
    }

    @Test
    void readsWhatAvroWrites() {
        for (GroupState s : samples()) {
            byte[] bytes = avro.encode(header(s));
            GroupState read = HeaderCodec.read(bytes, 0, bytes.length);
            assertThat(header(read)).isEqualTo(header(s));
        }
        // format-1 headers have the same schema
        byte[] format1 = avro.encode(header(samples().get(1)));
        format1[0] = 1;
        assertThat(header(HeaderCodec.read(format1, 0, format1.length))).isEqualTo(header(samples().get(1)));
    }

    @Test
    void refusesCorruptHeaders() {
        byte[] good = avro.encode(header(samples().get(1)));
        for (int cut = 1; cut < good.length; cut++) {
            int to = cut;
            assertThatThrownBy(() -> HeaderCodec.read(good, 0, to)).as("cut at %d", cut).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("corrupt");
        }
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> HeaderCodec.read(trailing, 0, trailing.length)).hasMessageContaining("trailing");
        byte[] badStatus = good.clone();
        badStatus[1] = 8; // zig-zag 4: no fifth symbol
        assertThatThrownBy(() -> HeaderCodec.read(badStatus, 0, badStatus.length)).hasMessageContaining("status 4");
        byte[] otherFormat = good.clone();
        otherFormat[0] = 9;
        assertThatThrownBy(() -> HeaderCodec.read(otherFormat, 0, otherFormat.length)).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> HeaderCodec.read(good, 3, 3)).hasMessageContaining("format version none");
    }
}
