package dev.gopo.ranker.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Binary keys of the two stores.
 *
 * <p>Groups store: {@code [int32 length][group id UTF-8][tag]} followed, for completions and rewards,
 * by {@code [int32 index]}. The length prefix keeps one group's keys from being a prefix of another's.
 *
 * <p>Deadline index: {@code [int64 deadline ms, big-endian][group id UTF-8]}, so a range scan from 0 to
 * "now" yields exactly the due groups, oldest first (deadlines are never negative, so signed and
 * unsigned byte order agree).
 */
final class StoreKeys {
    static final byte HEADER = 0;
    static final byte PROMPT = 1;
    static final byte COMPLETION = 2;
    static final byte REWARD = 3;

    private StoreKeys() {
    }

    static Bytes member(String groupId, byte tag) {
        byte[] id = groupId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + id.length + 1).putInt(id.length).put(id).put(tag).array());
    }

    static Bytes member(String groupId, byte tag, int index) {
        byte[] id = groupId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(4 + id.length + 1 + 4).putInt(id.length).put(id).put(tag).putInt(index).array());
    }

    static Bytes deadline(long deadlineMs, String groupId) {
        byte[] id = groupId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(8 + id.length).putLong(deadlineMs).put(id).array());
    }

    /**
     * Upper bound of a range scan for every deadline {@code <= deadlineMs}: UTF-8 never contains the
     * byte 0xFF, so it sorts after every group id.
     */
    static Bytes deadlineUpperBound(long deadlineMs) {
        return Bytes.wrap(ByteBuffer.allocate(9).putLong(deadlineMs).put((byte) 0xFF).array());
    }

    static Bytes deadlineLowerBound() {
        return Bytes.wrap(new byte[8]);
    }

    static long deadlineOf(Bytes key) {
        return ByteBuffer.wrap(key.get()).getLong();
    }

    static String groupIdOf(Bytes deadlineKey) {
        byte[] k = deadlineKey.get();
        return new String(k, 8, k.length - 8, StandardCharsets.UTF_8);
    }
}
