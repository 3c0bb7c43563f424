package dev.gopo.ranker.state;

import dev.gopo.ranker.state.avro.GroupStatus;
import java.util.BitSet;

/**
 * The {@code GroupHeader} store value written and read by hand: {@code [format byte][Avro binary GroupHeader]}, the same
 * bytes {@link StateCodec} writes for a {@code GroupHeader} ({@code HeaderCodecTest} checks them byte for byte), without
 * Avro's object model: no builder, no reflective instantiation, no {@code ByteBuffer} per bit set. The header is
 * written on every record of a group, so this is on the ranker's hottest path.
 *
 * <pre>
 *   GroupHeader = status:enum groupSize:int firstSeenMs:long deadlineMs:long lastEventMs:long
 *                 completions:bytes inlineRewards:bytes externalRewards:bytes closedAtMs:long emitted:bytes
 * </pre>
 *
 * Bit sets are {@link BitSet#toByteArray()} bytes. Format 1 and 2 headers have the same schema (format 2 changed only
 * {@code StoredCompletion}), so both are read.
 */
final class HeaderCodec {
    private static final GroupStatus[] STATUSES = GroupStatus.values();

    private HeaderCodec() {
    }

    /** Appends {@code state}'s header value, format byte included. */
    static void write(AvroBytes.Writer w, GroupState s) {
        w.write(StateCodec.FORMAT_VERSION);
        w.writeLong(s.status.ordinal()).writeLong(s.groupSize).writeLong(s.firstSeenMs).writeLong(s.deadlineMs).writeLong(s.lastEventMs);
        bits(w, s.completions);
        bits(w, s.inlineRewards);
        bits(w, s.externalRewards);
        w.writeLong(s.closedAtMs);
        bits(w, s.emitted);
    }

    /** The header value in {@code bytes[from, to)}, format byte included, as a state without members. */
    static GroupState read(byte[] bytes, int from, int to) {
        if (to <= from || (bytes[from] != StateCodec.FORMAT_VERSION && bytes[from] != 1)) {
            throw new IllegalStateException("ranker state GroupHeader has format version " + (to <= from ? "none" : Byte.toString(bytes[from]))
                    + ", this ranker reads versions 1 and " + StateCodec.FORMAT_VERSION
                    + ": it was written by a different ranker release; run that release or reset the application (kafka-streams-application-reset)");
        }
        try {
            AvroBytes.Reader r = new AvroBytes.Reader(bytes, from + 1, to);
            int status = r.readInt();
            if (status < 0 || status >= STATUSES.length) {
                throw new IllegalArgumentException("status " + status + " is not one of " + STATUSES.length + " symbols");
            }
            int groupSize = r.readInt();
            long firstSeenMs = r.readLong();
            long deadlineMs = r.readLong();
            long lastEventMs = r.readLong();
            BitSet completions = BitSet.valueOf(r.readBytes());
            BitSet inlineRewards = BitSet.valueOf(r.readBytes());
            BitSet externalRewards = BitSet.valueOf(r.readBytes());
            long closedAtMs = r.readLong();
            BitSet emitted = BitSet.valueOf(r.readBytes());
            if (!r.atEnd()) {
                throw new IllegalArgumentException("trailing bytes after the header");
            }
            return new GroupState(STATUSES[status], groupSize, firstSeenMs, deadlineMs, lastEventMs, closedAtMs, completions, inlineRewards,
                    externalRewards, emitted);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("ranker state GroupHeader is corrupt: " + e.getMessage(), e);
        }
    }

    private static void bits(AvroBytes.Writer w, BitSet set) {
        byte[] b = set.toByteArray();
        w.writeLong(b.length).writeRange(b, 0, b.length);
    }
}
