package dev.gopo.ranker.state;

import dev.gopo.ranker.RewardSource;
import dev.gopo.ranker.state.avro.GroupStatus;
import java.util.BitSet;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What the ranker knows about one group: the mutable, in-memory form of its {@code ranker-groups}
 * entry, the {@code GroupHeader} (indices and timestamps) and, while the group is open, the stored
 * values of its prompt, completions and external rewards (see {@link GroupStore} for the layout).
 */
public final class GroupState {
    GroupStatus status;
    int groupSize;
    long firstSeenMs;
    long deadlineMs;
    long lastEventMs;
    long closedAtMs;
    final BitSet completions;
    final BitSet inlineRewards;
    final BitSet externalRewards;
    final BitSet emitted;
    /** Stored values of an open group's members, by index; empty once closed. */
    byte[] prompt;
    final SortedMap<Integer, byte[]> completionValues = new TreeMap<>();
    final SortedMap<Integer, byte[]> rewardValues = new TreeMap<>();

    GroupState(GroupStatus status, int groupSize, long firstSeenMs, long deadlineMs, long lastEventMs, long closedAtMs,
               BitSet completions, BitSet inlineRewards, BitSet externalRewards, BitSet emitted) {
        this.status = status;
        this.groupSize = groupSize;
        this.firstSeenMs = firstSeenMs;
        this.deadlineMs = deadlineMs;
        this.lastEventMs = lastEventMs;
        this.closedAtMs = closedAtMs;
        this.completions = completions;
        this.inlineRewards = inlineRewards;
        this.externalRewards = externalRewards;
        this.emitted = emitted;
    }

    /** A group seen for the first time at wall-clock {@code nowMs}, due at {@code deadlineMs}. */
    public static GroupState open(long nowMs, long deadlineMs) {
        return new GroupState(GroupStatus.OPEN, 0, nowMs, deadlineMs, 0, 0, new BitSet(), new BitSet(), new BitSet(), new BitSet());
    }

    public GroupStatus status() {
        return status;
    }

    public boolean isOpen() {
        return status == GroupStatus.OPEN;
    }

    /** G from the first completion, 0 while only rewards have arrived. */
    public int groupSize() {
        return groupSize;
    }

    public void groupSize(int g) {
        this.groupSize = g;
    }

    public long firstSeenMs() {
        return firstSeenMs;
    }

    public long deadlineMs() {
        return deadlineMs;
    }

    public long lastEventMs() {
        return lastEventMs;
    }

    public long closedAtMs() {
        return closedAtMs;
    }

    /** Records a member record's timestamp (the latest one is the group's "last completion" time). */
    public void observe(long recordTimestampMs) {
        lastEventMs = Math.max(lastEventMs, recordTimestampMs);
    }

    public boolean hasCompletion(int index) {
        return completions.get(index);
    }

    public boolean hasInlineReward(int index) {
        return inlineRewards.get(index);
    }

    public boolean hasExternalReward(int index) {
        return externalRewards.get(index);
    }

    public int completionCount() {
        return completions.cardinality();
    }

    public int externalRewardCount() {
        return externalRewards.cardinality();
    }

    public int inlineRewardCount() {
        return inlineRewards.cardinality();
    }

    /** Indices of stored external rewards, ascending. */
    public int[] externalRewardIndices() {
        return externalRewards.stream().toArray();
    }

    /** Indices of stored completions, ascending. */
    public int[] completionIndices() {
        return completions.stream().toArray();
    }

    /** Indices that were emitted, for closed markers. */
    public boolean wasEmitted(int index) {
        return emitted.get(index);
    }

    /** Completions that have a reward usable under {@code source}. */
    public BitSet scored(RewardSource source) {
        BitSet rewarded = switch (source) {
            case INLINE -> (BitSet) inlineRewards.clone();
            case EXTERNAL -> (BitSet) externalRewards.clone();
            case ANY -> {
                BitSet either = (BitSet) inlineRewards.clone();
                either.or(externalRewards);
                yield either;
            }
        };
        rewarded.and(completions);
        return rewarded;
    }

    /** All G completions are present and scored. */
    public boolean isComplete(RewardSource source) {
        return groupSize > 0 && completions.cardinality() == groupSize && scored(source).cardinality() == groupSize;
    }

    /** Turns this open group into a compact closed marker (status, times, emitted indices). */
    public void close(GroupStatus closedStatus, long nowMs, long markerDeadlineMs, BitSet emittedIndices) {
        if (closedStatus == GroupStatus.OPEN) {
            throw new IllegalArgumentException("close needs a closed status");
        }
        status = closedStatus;
        closedAtMs = nowMs;
        deadlineMs = markerDeadlineMs;
        completions.clear();
        inlineRewards.clear();
        externalRewards.clear();
        emitted.clear();
        emitted.or(emittedIndices);
        prompt = null;
        completionValues.clear();
        rewardValues.clear();
    }

    void addCompletion(int index, boolean withInlineReward) {
        completions.set(index);
        if (withInlineReward) {
            inlineRewards.set(index);
        }
    }

    void addExternalReward(int index) {
        externalRewards.set(index);
    }

    void removeExternalReward(int index) {
        externalRewards.clear(index);
        rewardValues.remove(index);
    }
}
