package dev.gopo.ranker.state;

import java.util.Arrays;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;

/** Test helper: rewrites a group's format-3 entry into the format-2 layout of the previous release (one key per member). */
public final class LegacyLayout {
    private LegacyLayout() {
    }

    /** Returns how many member keys were written. */
    public static int split(KeyValueStore<Bytes, byte[]> groups, String groupId) {
        Bytes headerKey = StoreKeys.member(groupId, StoreKeys.HEADER);
        byte[] entry = groups.get(headerKey);
        AvroBytes.Reader r = new AvroBytes.Reader(entry, 1, entry.length);
        int headerLength = (int) r.readLong();
        int from = r.pos();
        groups.put(headerKey, Arrays.copyOfRange(entry, from, from + headerLength));
        int members = 0;
        int pos = from + headerLength;
        while (pos < entry.length) {
            byte tag = entry[pos];
            r = new AvroBytes.Reader(entry, pos + 1, entry.length);
            int index = r.readInt();
            int length = (int) r.readLong();
            byte[] value = Arrays.copyOfRange(entry, r.pos(), r.pos() + length);
            groups.put(tag == StoreKeys.PROMPT ? StoreKeys.member(groupId, tag) : StoreKeys.member(groupId, tag, index), value);
            members++;
            pos = r.pos() + length;
        }
        return members;
    }
}
