package dev.gopo.ranker.state;

import dev.gopo.ranker.state.avro.GroupStatus;
import dev.gopo.ranker.state.avro.StoredReward;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Typed access to the ranker's two persistent key-value stores (RocksDB, changelogged, so
 * exactly-once processing restores them after a crash).
 *
 * <ul>
 *   <li>{@value #GROUPS}: <b>one entry per group</b> (format 3): the header ({@link GroupState}) followed,
 *       while the group is open, by the stored values of its prompt, completions and external rewards.
 *       Every record rewrites the group's entry, but in Kafka Streams' record cache: what reaches
 *       RocksDB and the changelog is the entry as of each commit — for a group that opens and completes
 *       between two commits (the usual case), only its closed marker. Closed groups keep only the
 *       header as a compact marker. (Format 2 kept the prompt and each completion and reward under keys
 *       of their own: ~12 keys per group of 8, each put, read back, deleted and flushed as a tombstone.
 *       Open groups in that layout, restored from a previous release's changelog, are moved into the
 *       single entry the first time they are read.)</li>
 *   <li>{@value #DEADLINES}: an index {@code (deadline, group id) -> empty} so the timeout check reads
 *       only the due entries instead of scanning every open group.</li>
 * </ul>
 *
 * <p>Entry, format 3: {@code [3][long header length][GroupHeader value][sections]}, each section
 * {@code [tag][long index][long length][value]} with tag 1 = {@link StoredPromptBytes} (index 0),
 * 2 = {@link StoredCompletionBytes}, 3 = {@code StoredReward}; the header and member values are the
 * format-2 values of {@link StateCodec}, in index order.
 *
 * <p>Invariant: every header has exactly one deadline-index entry, at its {@code deadlineMs}.
 */
public final class GroupStore {
    /** Store name of groups; its changelog topic is {@code <application.id>-ranker-groups-changelog}. */
    public static final String GROUPS = "ranker-groups";
    /** Store name of the deadline index; changelog {@code <application.id>-ranker-deadlines-changelog}. */
    public static final String DEADLINES = "ranker-deadlines";
    static final byte ENTRY_FORMAT = 3;
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> groups;
    private final KeyValueStore<Bytes, byte[]> deadlines;
    private final StateCodec<StoredReward> rewards = new StateCodec<>(StoredReward.class);
    private final AvroBytes.Writer entry = new AvroBytes.Writer(4096);
    private final AvroBytes.Writer header = new AvroBytes.Writer(128);
    /**
     * Open groups as this store last wrote them: the entry's bytes and the state they encode. A group gets a record at a
     * time, and each record used to decode the whole entry it had just encoded for the previous one; {@link #state}
     * hands the decoded state back instead when the store still holds exactly those bytes. Taken out on every read and
     * put back by the next write, so a state changed but not written is never handed out again. Bounded by the open
     * groups; a fresh store (a task's restart, restore or migration) starts empty.
     */
    private final Map<Bytes, Written> written = new HashMap<>();
    private long reused;
    private String lastKeyId;
    private Bytes lastKey;

    private record Written(byte[] entry, GroupState state) {
    }

    public GroupStore(KeyValueStore<Bytes, byte[]> groups, KeyValueStore<Bytes, byte[]> deadlines) {
        this.groups = groups;
        this.deadlines = deadlines;
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> groupsStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(GROUPS), Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled();
    }

    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> deadlinesStore() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(DEADLINES), Serdes.Bytes(), Serdes.ByteArray()).withCachingEnabled();
    }

    /** The group's state (with its members while open), or null when the ranker has no record of it. */
    public GroupState state(String groupId) {
        Bytes key = entryKey(groupId);
        byte[] bytes = groups.get(key);
        Written last = written.remove(key);
        if (bytes == null) {
            return null;
        }
        if (last != null && (last.entry() == bytes || Arrays.equals(last.entry(), bytes))) {
            reused++;
            return last.state();
        }
        if (bytes.length > 0 && bytes[0] == ENTRY_FORMAT) {
            return readEntry(groupId, bytes);
        }
        GroupState state = HeaderCodec.read(bytes, 0, bytes.length);
        if (state.isOpen()) {
            moveLegacyMembers(groupId, state);
        }
        return state;
    }

    /** Stores a new group and indexes its deadline. */
    public void create(String groupId, GroupState state) {
        putEntry(groupId, state);
        deadlines.put(StoreKeys.deadline(state.deadlineMs, groupId), EMPTY);
    }

    /** Stores an existing group whose deadline has not changed. */
    public void update(String groupId, GroupState state) {
        putEntry(groupId, state);
    }

    /** Keeps the group's prompt (a {@link StoredPromptBytes} value) in {@code state}; stored with the group's entry. */
    public void putPrompt(GroupState state, byte[] storedPrompt) {
        state.prompt = storedPrompt;
    }

    public StoredPromptBytes prompt(String groupId, GroupState state) {
        if (state.prompt == null) {
            throw new IllegalStateException("group " + groupId + ": its entry has completions but no prompt");
        }
        return StoredPromptBytes.read(state.prompt);
    }

    /**
     * Keeps completion {@code index} (a {@link StoredCompletionBytes} value) in {@code state} and marks it (and whether it
     * carries an inline reward); stored with the group's entry.
     */
    public void putCompletion(GroupState state, int index, byte[] storedCompletion, boolean hasInlineReward) {
        state.completionValues.put(index, storedCompletion);
        state.addCompletion(index, hasInlineReward);
    }

    public StoredCompletionBytes completion(String groupId, GroupState state, int index) {
        byte[] bytes = state.completionValues.get(index);
        if (bytes == null) {
            throw new IllegalStateException("group " + groupId + ": header lists completion " + index + " but the entry has none");
        }
        return StoredCompletionBytes.read(bytes);
    }

    /** Keeps external reward {@code index} in {@code state} and marks it; stored with the group's entry. */
    public void putReward(GroupState state, int index, StoredReward reward) {
        state.rewardValues.put(index, rewards.encode(reward));
        state.addExternalReward(index);
    }

    public StoredReward reward(String groupId, GroupState state, int index) {
        byte[] bytes = state.rewardValues.get(index);
        if (bytes == null) {
            throw new IllegalStateException("group " + groupId + ": header lists reward " + index + " but the entry has none");
        }
        return rewards.decode(bytes);
    }

    public void deleteReward(GroupState state, int index) {
        state.removeExternalReward(index);
    }

    /**
     * Closes an open group: drops its prompt, completions and rewards, turns its entry into a marker of
     * {@code status} that is due (forgotten) at {@code markerDeadlineMs}.
     */
    public void close(String groupId, GroupState state, GroupStatus status, long nowMs, long markerDeadlineMs, BitSet emitted) {
        deadlines.delete(StoreKeys.deadline(state.deadlineMs, groupId));
        state.close(status, nowMs, markerDeadlineMs, emitted);
        create(groupId, state);
    }

    /** Removes a closed marker (its retention is over) and its index entry. */
    public void forget(String groupId, GroupState state) {
        Bytes key = entryKey(groupId);
        written.remove(key);
        groups.delete(key);
        deadlines.delete(StoreKeys.deadline(state.deadlineMs, groupId));
    }

    /** A deadline-index entry. */
    public record Due(long deadlineMs, String groupId) {
    }

    /** Up to {@code max} index entries with deadline {@code <= nowMs}, oldest first. */
    public List<Due> due(long nowMs, int max) {
        List<Due> due = new ArrayList<>();
        // Collected first and acted on after the iterator is closed: acting deletes index entries.
        try (KeyValueIterator<Bytes, byte[]> it = deadlines.range(StoreKeys.deadlineLowerBound(), StoreKeys.deadlineUpperBound(nowMs))) {
            while (it.hasNext() && due.size() < max) {
                KeyValue<Bytes, byte[]> entry = it.next();
                due.add(new Due(StoreKeys.deadlineOf(entry.key), StoreKeys.groupIdOf(entry.key)));
            }
        }
        return due;
    }

    /** Drops an index entry that no longer matches its header (defensive; the invariant says it cannot happen). */
    public void dropIndexEntry(Due due) {
        deadlines.delete(StoreKeys.deadline(due.deadlineMs(), due.groupId()));
    }

    /**
     * The entry key of {@code groupId}. A record reads its group's entry and then writes it with the same id object, so
     * the key of the last id asked for is kept instead of UTF-8 encoding it twice per record.
     */
    private Bytes entryKey(String groupId) {
        if (groupId != lastKeyId) {
            lastKey = StoreKeys.member(groupId, StoreKeys.HEADER);
            lastKeyId = groupId;
        }
        return lastKey;
    }

    /** How many reads were answered from {@link #written} instead of decoding the entry (for tests). */
    long reusedStates() {
        return reused;
    }

    private void putEntry(String groupId, GroupState s) {
        header.reset();
        HeaderCodec.write(header, s);
        entry.reset();
        entry.write(ENTRY_FORMAT);
        entry.writeLong(header.size());
        entry.append(header);
        if (s.prompt != null) {
            section(StoreKeys.PROMPT, 0, s.prompt);
        }
        s.completionValues.forEach((index, value) -> section(StoreKeys.COMPLETION, index, value));
        s.rewardValues.forEach((index, value) -> section(StoreKeys.REWARD, index, value));
        Bytes key = entryKey(groupId);
        byte[] bytes = entry.toByteArray();
        groups.put(key, bytes);
        if (s.isOpen()) {
            written.put(key, new Written(bytes, s));
        } else {
            written.remove(key);
        }
    }

    private void section(byte tag, int index, byte[] value) {
        entry.write(tag);
        entry.writeLong(index).writeLong(value.length).writeRange(value, 0, value.length);
    }

    private GroupState readEntry(String groupId, byte[] bytes) {
        try {
            AvroBytes.Reader r = new AvroBytes.Reader(bytes, 1, bytes.length);
            int headerLength = Math.toIntExact(r.readLong());
            int from = r.pos();
            GroupState state = HeaderCodec.read(bytes, from, Math.addExact(from, headerLength));
            r = new AvroBytes.Reader(bytes, from + headerLength, bytes.length);
            while (!r.atEnd()) {
                byte tag = bytes[r.pos()];
                r = new AvroBytes.Reader(bytes, r.pos() + 1, bytes.length);
                int index = r.readInt();
                int length = Math.toIntExact(r.readLong());
                int start = r.pos();
                byte[] value = Arrays.copyOfRange(bytes, start, Math.addExact(start, length));
                if (value.length != length) {
                    throw new IllegalArgumentException("truncated section");
                }
                switch (tag) {
                    case StoreKeys.PROMPT -> state.prompt = value;
                    case StoreKeys.COMPLETION -> state.completionValues.put(index, value);
                    case StoreKeys.REWARD -> state.rewardValues.put(index, value);
                    default -> throw new IllegalArgumentException("unknown section tag " + tag);
                }
                r = new AvroBytes.Reader(bytes, start + length, bytes.length);
            }
            return state;
        } catch (IllegalArgumentException | ArithmeticException | IndexOutOfBoundsException e) {
            throw new IllegalStateException("ranker state of group " + groupId + " is corrupt: " + e, e);
        }
    }

    /**
     * A format-2 open group (restored from a previous release's changelog) keeps its prompt, completions and rewards under
     * keys of their own: read them into {@code state}, delete those keys and write the single entry, all in this transaction.
     */
    private void moveLegacyMembers(String groupId, GroupState state) {
        Bytes promptKey = StoreKeys.member(groupId, StoreKeys.PROMPT);
        state.prompt = groups.get(promptKey);
        if (state.prompt != null) {
            groups.delete(promptKey);
        }
        state.completions.stream().forEach(i -> {
            Bytes key = StoreKeys.member(groupId, StoreKeys.COMPLETION, i);
            byte[] value = groups.get(key);
            if (value == null) {
                throw new IllegalStateException("group " + groupId + ": header lists completion " + i + " but the store has none");
            }
            state.completionValues.put(i, value);
            groups.delete(key);
        });
        state.externalRewards.stream().forEach(i -> {
            Bytes key = StoreKeys.member(groupId, StoreKeys.REWARD, i);
            byte[] value = groups.get(key);
            if (value == null) {
                throw new IllegalStateException("group " + groupId + ": header lists reward " + i + " but the store has none");
            }
            state.rewardValues.put(i, value);
            groups.delete(key);
        });
        putEntry(groupId, state);
    }
}
