package dev.gopo.ranker.state;

import dev.gopo.ranker.state.avro.GroupHeader;
import dev.gopo.ranker.state.avro.GroupStatus;
import dev.gopo.ranker.state.avro.StoredCompletion;
import dev.gopo.ranker.state.avro.StoredPrompt;
import dev.gopo.ranker.state.avro.StoredReward;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
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
 *   <li>{@value #GROUPS}: per group a small header ({@link GroupState}), the prompt, and one entry per
 *       completion and per external reward, so a record writes only its own bytes plus the header
 *       instead of rewriting the whole group. Closed groups keep only the header as a compact marker.</li>
 *   <li>{@value #DEADLINES}: an index {@code (deadline, group id) -> empty} so the timeout check reads
 *       only the due entries instead of scanning every open group.</li>
 * </ul>
 *
 * Invariant: every header has exactly one deadline-index entry, at its {@code deadlineMs}.
 */
public final class GroupStore {
    /** Store name of groups; its changelog topic is {@code <application.id>-ranker-groups-changelog}. */
    public static final String GROUPS = "ranker-groups";
    /** Store name of the deadline index; changelog {@code <application.id>-ranker-deadlines-changelog}. */
    public static final String DEADLINES = "ranker-deadlines";
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> groups;
    private final KeyValueStore<Bytes, byte[]> deadlines;
    private final StateCodec<GroupHeader> headers = new StateCodec<>(GroupHeader.class);
    private final StateCodec<StoredCompletion> completions = new StateCodec<>(StoredCompletion.class);
    private final StateCodec<StoredReward> rewards = new StateCodec<>(StoredReward.class);
    private final StateCodec<StoredPrompt> prompts = new StateCodec<>(StoredPrompt.class);

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

    /** The group's state, or null when the ranker has no record of it. */
    public GroupState state(String groupId) {
        byte[] bytes = groups.get(StoreKeys.member(groupId, StoreKeys.HEADER));
        return bytes == null ? null : fromHeader(headers.decode(bytes));
    }

    /** Stores a new group and indexes its deadline. */
    public void create(String groupId, GroupState state) {
        putHeader(groupId, state);
        deadlines.put(StoreKeys.deadline(state.deadlineMs, groupId), EMPTY);
    }

    /** Stores an existing group whose deadline has not changed. */
    public void update(String groupId, GroupState state) {
        putHeader(groupId, state);
    }

    public void putPrompt(String groupId, StoredPrompt prompt) {
        groups.put(StoreKeys.member(groupId, StoreKeys.PROMPT), prompts.encode(prompt));
    }

    public StoredPrompt prompt(String groupId) {
        byte[] bytes = groups.get(StoreKeys.member(groupId, StoreKeys.PROMPT));
        return bytes == null ? null : prompts.decode(bytes);
    }

    /** Stores completion {@code index} and marks it (and its inline reward, if any) in {@code state}. */
    public void putCompletion(String groupId, GroupState state, int index, StoredCompletion completion) {
        groups.put(StoreKeys.member(groupId, StoreKeys.COMPLETION, index), completions.encode(completion));
        state.addCompletion(index, completion.getInlineReward() != null);
    }

    public StoredCompletion completion(String groupId, int index) {
        byte[] bytes = groups.get(StoreKeys.member(groupId, StoreKeys.COMPLETION, index));
        if (bytes == null) {
            throw new IllegalStateException("group " + groupId + ": header lists completion " + index + " but the store has none");
        }
        return completions.decode(bytes);
    }

    /** Stores external reward {@code index} and marks it in {@code state}. */
    public void putReward(String groupId, GroupState state, int index, StoredReward reward) {
        groups.put(StoreKeys.member(groupId, StoreKeys.REWARD, index), rewards.encode(reward));
        state.addExternalReward(index);
    }

    public StoredReward reward(String groupId, int index) {
        byte[] bytes = groups.get(StoreKeys.member(groupId, StoreKeys.REWARD, index));
        if (bytes == null) {
            throw new IllegalStateException("group " + groupId + ": header lists reward " + index + " but the store has none");
        }
        return rewards.decode(bytes);
    }

    public void deleteReward(String groupId, GroupState state, int index) {
        groups.delete(StoreKeys.member(groupId, StoreKeys.REWARD, index));
        state.removeExternalReward(index);
    }

    /**
     * Closes an open group: deletes its prompt, completions and rewards, turns the header into a
     * marker of {@code status} that is due (forgotten) at {@code markerDeadlineMs}.
     */
    public void close(String groupId, GroupState state, GroupStatus status, long nowMs, long markerDeadlineMs, BitSet emitted) {
        state.completions.stream().forEach(i -> groups.delete(StoreKeys.member(groupId, StoreKeys.COMPLETION, i)));
        state.externalRewards.stream().forEach(i -> groups.delete(StoreKeys.member(groupId, StoreKeys.REWARD, i)));
        if (state.groupSize > 0) {
            groups.delete(StoreKeys.member(groupId, StoreKeys.PROMPT));
        }
        deadlines.delete(StoreKeys.deadline(state.deadlineMs, groupId));
        state.close(status, nowMs, markerDeadlineMs, emitted);
        create(groupId, state);
    }

    /** Removes a closed marker (its retention is over) and its index entry. */
    public void forget(String groupId, GroupState state) {
        groups.delete(StoreKeys.member(groupId, StoreKeys.HEADER));
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

    private void putHeader(String groupId, GroupState s) {
        GroupHeader header = GroupHeader.newBuilder()
                .setStatus(s.status)
                .setGroupSize(s.groupSize)
                .setFirstSeenMs(s.firstSeenMs)
                .setDeadlineMs(s.deadlineMs)
                .setLastEventMs(s.lastEventMs)
                .setCompletions(bits(s.completions))
                .setInlineRewards(bits(s.inlineRewards))
                .setExternalRewards(bits(s.externalRewards))
                .setClosedAtMs(s.closedAtMs)
                .setEmitted(bits(s.emitted))
                .build();
        groups.put(StoreKeys.member(groupId, StoreKeys.HEADER), headers.encode(header));
    }

    private static GroupState fromHeader(GroupHeader h) {
        return new GroupState(h.getStatus(), h.getGroupSize(), h.getFirstSeenMs(), h.getDeadlineMs(), h.getLastEventMs(), h.getClosedAtMs(),
                BitSet.valueOf(h.getCompletions()), BitSet.valueOf(h.getInlineRewards()), BitSet.valueOf(h.getExternalRewards()),
                BitSet.valueOf(h.getEmitted()));
    }

    private static ByteBuffer bits(BitSet set) {
        return ByteBuffer.wrap(set.toByteArray());
    }
}
