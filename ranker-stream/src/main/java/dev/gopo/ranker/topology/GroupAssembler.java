package dev.gopo.ranker.topology;

import dev.gopo.avro.Reward;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.Durations;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RewardSource;
import dev.gopo.ranker.advantage.AdvantageEstimator;
import dev.gopo.ranker.advantage.GroupAdvantages;
import dev.gopo.ranker.state.AvroBytes;
import dev.gopo.ranker.state.GroupState;
import dev.gopo.ranker.state.GroupStore;
import dev.gopo.ranker.state.avro.GroupStatus;
import dev.gopo.ranker.state.StoredCompletionBytes;
import dev.gopo.ranker.state.avro.StoredReward;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.topic.Estimator;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Collects each group's completions and rewards and emits it exactly once.
 *
 * <ul>
 *   <li>A group is <b>complete</b> when all G completions (G from its first completion) are present and
 *       each has a reward under the configured {@link RewardSource}. It is then emitted once per
 *       estimator, its members are deleted and a compact marker stays for {@code emittedRetention}.</li>
 *   <li><b>Duplicates</b>: a completion or reward for an index the open group already holds is dropped
 *       and counted; a record for a group that was already emitted is dropped and counted as late when
 *       its index was emitted, and dead-lettered ({@code GROUP_TIMEOUT}) when it was not (it arrived
 *       after a partial emission or an expiry).</li>
 *   <li><b>Timeout</b> (wall clock, checked by a punctuator every {@link RankerConfig#timeoutCheckInterval()}):
 *       a group still open {@code groupTimeout} after its first record is emitted partial if at least
 *       {@code minScoredForPartial} completions are scored, else dead-lettered with {@code GROUP_TIMEOUT}.
 *       After a (re)start, no group is timed out during the first {@code groupTimeout}, so groups whose
 *       remaining records wait in the backlog after downtime are not cut short.</li>
 * </ul>
 *
 * All state changes and outputs of one record or punctuation commit in the same Kafka transaction
 * (exactly_once_v2), so a crash can neither lose nor repeat an emission.
 */
final class GroupAssembler implements Processor<String, GroupEvent, String, Object> {
    /** Bounds the work of one timeout check; the rest waits for the next check. */
    static final int MAX_CLOSED_PER_CHECK = 5_000;

    private final RankerConfig config;
    private final RewardSource source;
    private final long timeoutMs;
    private final long retentionMs;
    private final Map<Estimator, AdvantageEstimator> estimators = new EnumMap<>(Estimator.class);
    private final Map<Estimator, String> topics = new EnumMap<>(Estimator.class);
    private final AdvantageGroupWriter writer;
    private final MetricsEndpoint endpoint;
    private final AvroBytes.Writer stateBuffer = new AvroBytes.Writer(1024);
    private ProcessorContext<String, Object> context;
    private GroupStore store;
    private RankerMetrics metrics;
    private DeadLetterRouter deadLetters;
    private long startedAtMs;

    GroupAssembler(RankerConfig config, SchemaRegistry registry, MetricsEndpoint endpoint) {
        this.config = config;
        this.endpoint = endpoint;
        this.source = config.rewardSource();
        this.timeoutMs = config.groupTimeout().toMillis();
        this.retentionMs = config.emittedRetention().toMillis();
        config.estimators().forEach(e -> estimators.put(e, AdvantageEstimator.of(e, config.grpoEps())));
        config.estimators().forEach(e -> topics.put(e, config.advantagesTopic(e)));
        this.writer = new AdvantageGroupWriter(registry);
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.store = new GroupStore(context.getStateStore(GroupStore.GROUPS), context.getStateStore(GroupStore.DEADLINES));
        this.metrics = RankerMetrics.register(context.metrics(), endpoint);
        this.deadLetters = new DeadLetterRouter(context, metrics);
        this.startedAtMs = context.currentSystemTimeMs();
        context.schedule(config.timeoutCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::closeDueGroups);
    }

    @Override
    public void process(Record<String, GroupEvent> record) {
        if (record.value() instanceof GroupEvent.CompletionArrived c) {
            onCompletion(record.key(), c.completion(), c.raw(), record.timestamp());
        } else if (record.value() instanceof GroupEvent.RewardArrived r) {
            onReward(record.key(), r.reward(), r.raw(), record.timestamp());
        } else {
            throw new IllegalArgumentException("unexpected event " + record.value());
        }
    }

    private void onCompletion(String groupId, IncomingCompletion c, byte[] raw, long timestamp) {
        long now = context.currentSystemTimeMs();
        int index = c.index();
        GroupState state = store.state(groupId);
        if (state != null && !state.isOpen()) {
            afterClose(groupId, state, index, "completion", raw);
            return;
        }
        boolean isNew = state == null;
        if (isNew) {
            state = GroupState.open(now, now + timeoutMs);
        }
        if (state.groupSize() == 0) {
            state.groupSize(c.groupSize());
            store.putPrompt(state, c.storedPrompt(stateBuffer));
            rejectEarlyRewardsOutOfRange(groupId, state);
        } else if (state.groupSize() != c.groupSize()) {
            deadLetters.reject(groupId, raw, new Rejection(DeadLetterReason.GROUP_SIZE_MISMATCH, "completion " + index + " of group " + groupId
                    + " says group size " + c.groupSize() + " but the group's first completion said " + state.groupSize()));
            return;
        }
        if (state.hasCompletion(index)) {
            metrics.duplicate();
            return;
        }
        Double inline = source.usesInline() ? c.reward() : null;
        store.putCompletion(state, index, c.storedCompletion(stateBuffer, inline), inline != null);
        state.observe(timestamp);
        emitOrSave(groupId, state, isNew, now);
    }

    private void onReward(String groupId, Reward r, byte[] raw, long timestamp) {
        long now = context.currentSystemTimeMs();
        int index = r.getIndex();
        GroupState state = store.state(groupId);
        if (state != null && !state.isOpen()) {
            afterClose(groupId, state, index, "reward", raw);
            return;
        }
        boolean isNew = state == null;
        if (isNew) {
            // A reward may overtake its completion: it waits in state until the group completes or times out.
            state = GroupState.open(now, now + timeoutMs);
        }
        if (state.groupSize() > 0 && index >= state.groupSize()) {
            deadLetters.reject(groupId, raw, new Rejection(DeadLetterReason.INDEX_OUT_OF_RANGE, "reward index " + index + " of group " + groupId
                    + " is outside 0.." + (state.groupSize() - 1) + " for group size " + state.groupSize()));
            return;
        }
        if (state.hasExternalReward(index)) {
            metrics.duplicate();
            return;
        }
        RecordMetadata meta = context.recordMetadata().orElseThrow();
        store.putReward(state, index, new StoredReward(r.getReward(), meta.partition(), meta.offset()));
        state.observe(timestamp);
        emitOrSave(groupId, state, isNew, now);
    }

    /** Rewards that arrived before the group size was known and turn out to be out of range. */
    private void rejectEarlyRewardsOutOfRange(String groupId, GroupState state) {
        for (int index : state.externalRewardIndices()) {
            if (index >= state.groupSize()) {
                StoredReward reward = store.reward(groupId, state, index);
                deadLetters.rejectStored(config.topicNames().rewards(), reward.getPartition(), reward.getOffset(), groupId,
                        DeadLetterReason.INDEX_OUT_OF_RANGE, "reward index " + index + " of group " + groupId + " arrived before the group's completions, "
                                + "which say group size " + state.groupSize() + " (indices 0.." + (state.groupSize() - 1) + ")");
                store.deleteReward(state, index);
            }
        }
    }

    private void emitOrSave(String groupId, GroupState state, boolean isNew, long now) {
        if (state.isComplete(source)) {
            emit(groupId, state, false, now);
        } else if (isNew) {
            store.create(groupId, state);
        } else {
            store.update(groupId, state);
        }
    }

    /**
     * Emits the scored completions once per estimator and closes the group. The rewards pass through the configured
     * {@link dev.gopo.ranker.advantage.RewardTransform} first; the record carries the transformed rewards.
     */
    private void emit(String groupId, GroupState state, boolean partial, long now) {
        LoadedGroup loaded = load(groupId, state, partial);
        LoadedGroup group = null;
        try {
            group = loaded.withRewards(config.rewardTransform().apply(groupId, loaded.indices(), loaded.rewards()));
        } catch (ArithmeticException overflow) {
            // Like a NaN reward, a non-finite transformed reward is never ranked. The group is closed below as emitted
            // (as when every estimator overflows), so its records are counted late instead of opening it again.
            deadLetters.rejectStored(config.topicNames().completions(), context.taskId().partition(), null, groupId,
                    DeadLetterReason.NON_FINITE_REWARD, "group " + groupId + " not emitted: " + overflow.getMessage() + "; rewards "
                            + Arrays.toString(loaded.rewards()));
        }
        if (group != null) {
            forwardPerEstimator(groupId, group, now);
        }
        metrics.groupEmitted(partial, now - state.lastEventMs());
        BitSet emitted = new BitSet();
        Arrays.stream(loaded.indices()).forEach(emitted::set);
        store.close(groupId, state, partial ? GroupStatus.PARTIAL : GroupStatus.EMITTED, now, now + retentionMs, emitted);
    }

    /** One record per estimator; an estimator whose advantages overflow dead-letters the group for itself alone. */
    private void forwardPerEstimator(String groupId, LoadedGroup group, long now) {
        for (Map.Entry<Estimator, AdvantageEstimator> e : estimators.entrySet()) {
            GroupAdvantages advantages;
            try {
                advantages = e.getValue().estimate(group.rewards());
            } catch (ArithmeticException overflow) {
                deadLetters.rejectStored(config.topicNames().completions(), context.taskId().partition(), null, groupId,
                        DeadLetterReason.NON_FINITE_REWARD, "group " + groupId + " not emitted by estimator " + e.getKey() + ": "
                                + overflow.getMessage() + "; rewards " + Arrays.toString(group.rewards()));
                continue;
            }
            byte[] out = writer.write(topics.get(e.getKey()), group, e.getKey(), advantages, now);
            context.forward(new Record<>(groupId, out, now), RankerTopology.sinkName(e.getKey()));
        }
    }

    private LoadedGroup load(String groupId, GroupState state, boolean partial) {
        int[] indices = state.scored(source).stream().toArray();
        List<StoredCompletionBytes> completions = new ArrayList<>(indices.length);
        double[] rewards = new double[indices.length];
        for (int k = 0; k < indices.length; k++) {
            StoredCompletionBytes c = store.completion(groupId, state, indices[k]);
            Double external = state.hasExternalReward(indices[k]) ? store.reward(groupId, state, indices[k]).getReward() : null;
            completions.add(c);
            rewards[k] = source.pick(c.inlineReward(), external, config.rewardPreference());
        }
        return new LoadedGroup(groupId, state.groupSize(), partial, store.prompt(groupId, state), indices, completions, rewards, state.lastEventMs());
    }

    /** A record for a group that is no longer open. */
    private void afterClose(String groupId, GroupState state, int index, String what, byte[] raw) {
        if (state.status() == GroupStatus.EMITTED || state.wasEmitted(index)) {
            metrics.late();
            return;
        }
        String how = state.status() == GroupStatus.PARTIAL ? "was emitted partial without it" : "timed out and was dead-lettered";
        deadLetters.reject(groupId, raw, new Rejection(DeadLetterReason.GROUP_TIMEOUT, what + " " + index + " of group " + groupId
                + " arrived after the group " + how + " (--group-timeout " + Durations.format(config.groupTimeout()) + "); raise the timeout if such delays are normal"));
    }

    /** Punctuator: closes timed-out groups and forgets markers whose retention is over. */
    private void closeDueGroups(long now) {
        if (now < startedAtMs + timeoutMs) {
            return;
        }
        for (GroupStore.Due due : store.due(now, MAX_CLOSED_PER_CHECK)) {
            GroupState state = store.state(due.groupId());
            if (state == null || state.deadlineMs() != due.deadlineMs()) {
                store.dropIndexEntry(due);
            } else if (state.isOpen()) {
                expire(due.groupId(), state, now);
            } else {
                store.forget(due.groupId(), state);
            }
        }
    }

    private void expire(String groupId, GroupState state, long now) {
        int scored = state.scored(source).cardinality();
        if (state.groupSize() > 0 && scored >= config.minScoredForPartial()) {
            emit(groupId, state, true, now);
            return;
        }
        String of = state.groupSize() > 0 ? Integer.toString(state.groupSize()) : "? (no completion arrived)";
        deadLetters.rejectStored(config.topicNames().completions(), context.taskId().partition(), null, groupId, DeadLetterReason.GROUP_TIMEOUT,
                "group " + groupId + " timed out after " + Durations.format(config.groupTimeout()) + ": " + state.completionCount() + " of " + of
                        + " completions arrived, " + scored + " scored (inline rewards " + state.inlineRewardCount() + ", external rewards "
                        + state.externalRewardCount() + ", reward source " + source + "); a partial group needs at least "
                        + config.minScoredForPartial() + " scored (--min-scored-for-partial)");
        metrics.groupExpired();
        store.close(groupId, state, GroupStatus.EXPIRED, now, now + retentionMs, new BitSet());
    }
}
