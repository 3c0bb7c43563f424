package dev.gopo.ranker.replay;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.advantage.AdvantageEstimator;
import dev.gopo.ranker.advantage.GroupAdvantages;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pure part of a replay: recorded completions and rewards in, complete groups in a fixed order out, then ranked.
 * No Kafka here, so every rule is unit-tested ({@code ReplayGroupsTest}); {@link ReplaySource} does the reading and
 * writing.
 *
 * <ul>
 *   <li><b>Records in offset order.</b> Input is sorted by (partition, offset) first, so the result does not depend on
 *       the order a consumer returned partitions in.</li>
 *   <li><b>Groups.</b> By group id. G is the first completion's {@code groupSize}. A completion whose index is outside
 *       {@code 0..G-1} or whose G differs is counted {@code inconsistent} and ignored; a second completion for an index
 *       is a duplicate: the first (lowest offset) stays, like the ranker's.</li>
 *   <li><b>Rewards.</b> A completion's inline reward when it has one, else the first external reward (lowest offset) for
 *       its (group, index). A group is <b>complete</b> when all G indices have a completion and a reward; others are
 *       counted {@code incomplete}. A complete group with a non-finite reward is counted {@code nonFinite}. Neither is
 *       trained.</li>
 *   <li><b>Order</b> ({@link #ORDER}): by the newest policy step that sampled the group, then its earliest
 *       {@code sampledAtMs}, then group id: recorded fields only, so two replays order alike, and close to the order the
 *       recorded run produced them in.</li>
 * </ul>
 */
public final class ReplayGroups {
    private ReplayGroups() {
    }

    /** A record read from a topic, with its coordinates (the tie-breaker for duplicates). */
    public record Recorded<V>(V value, int partition, long offset) {
        public Recorded {
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * One complete group.
     *
     * @param completions ordered by index {@code 0..G-1}
     * @param rewards     the reward of each completion, by index
     */
    public record Group(String groupId, List<Completion> completions, double[] rewards) {
        public long maxPolicyStep() {
            return completions.stream().mapToLong(Completion::getPolicyStep).max().orElse(0);
        }

        public long minSampledAtMs() {
            return completions.stream().mapToLong(Completion::getSampledAtMs).min().orElse(0);
        }

        public int[] indices() {
            return completions.stream().mapToInt(Completion::getIndex).toArray();
        }
    }

    /** The recorded groups and what was left out. */
    public record Assembled(List<Group> complete, int incomplete, int nonFinite, int inconsistent, int duplicates) {}

    /** Newest sampling policy step, then earliest sampling time, then group id. */
    public static final Comparator<Group> ORDER = Comparator.comparingLong(Group::maxPolicyStep)
            .thenComparingLong(Group::minSampledAtMs).thenComparing(Group::groupId);

    private static final Comparator<Recorded<?>> BY_OFFSET = Comparator.<Recorded<?>>comparingInt(Recorded::partition)
            .thenComparingLong(Recorded::offset);

    /** Groups the records as described above; the complete groups in {@link #ORDER}. */
    public static Assembled assemble(List<Recorded<Completion>> completions, List<Recorded<Reward>> rewards) {
        List<Recorded<Completion>> sortedCompletions = new ArrayList<>(completions);
        sortedCompletions.sort(BY_OFFSET);
        List<Recorded<Reward>> sortedRewards = new ArrayList<>(rewards);
        sortedRewards.sort(BY_OFFSET);

        Map<String, Map<Integer, Completion>> byGroup = new LinkedHashMap<>();
        Map<String, Integer> groupSize = new HashMap<>();
        int inconsistent = 0;
        int duplicates = 0;
        for (Recorded<Completion> r : sortedCompletions) {
            Completion c = r.value();
            int g = groupSize.computeIfAbsent(c.getGroupId(), id -> c.getGroupSize());
            if (g < 1 || c.getGroupSize() != g || c.getIndex() < 0 || c.getIndex() >= g) {
                inconsistent++;
                continue;
            }
            Map<Integer, Completion> members = byGroup.computeIfAbsent(c.getGroupId(), id -> new HashMap<>());
            if (members.putIfAbsent(c.getIndex(), c) != null) {
                duplicates++;
            }
        }
        Map<String, Map<Integer, Double>> external = new HashMap<>();
        for (Recorded<Reward> r : sortedRewards) {
            Reward w = r.value();
            if (external.computeIfAbsent(w.getGroupId(), id -> new HashMap<>()).putIfAbsent(w.getIndex(), w.getReward()) != null) {
                duplicates++;
            }
        }

        List<Group> complete = new ArrayList<>();
        int incomplete = 0;
        int nonFinite = 0;
        for (Map.Entry<String, Map<Integer, Completion>> e : byGroup.entrySet()) {
            int g = groupSize.get(e.getKey());
            Map<Integer, Double> scored = external.getOrDefault(e.getKey(), Map.of());
            List<Completion> members = new ArrayList<>(g);
            double[] groupRewards = new double[g];
            boolean ok = e.getValue().size() == g;
            for (int i = 0; ok && i < g; i++) {
                Completion c = e.getValue().get(i);
                Double reward = c.getReward() != null ? c.getReward() : scored.get(i);
                if (reward == null) {
                    ok = false;
                } else {
                    members.add(c);
                    groupRewards[i] = reward;
                }
            }
            if (!ok) {
                incomplete++;
                continue;
            }
            boolean finite = true;
            for (double r : groupRewards) {
                finite &= Double.isFinite(r);
            }
            if (!finite) {
                nonFinite++;
                continue;
            }
            complete.add(new Group(e.getKey(), List.copyOf(members), groupRewards));
        }
        complete.sort(ORDER);
        return new Assembled(List.copyOf(complete), incomplete, nonFinite, inconsistent, duplicates);
    }

    /**
     * The advantage record of one group: the rewards through {@code transform}, then ranked by {@code estimator}. The record
     * carries the transformed rewards, like the ranker's.
     *
     * @param emittedAtMs the record's {@code emittedAtMs}
     * @throws ArithmeticException when the transformed rewards or the advantages are not finite
     */
    public static AdvantageGroup rank(Group group, RewardTransform transform, Estimator estimator, AdvantageEstimator advantages,
                                      long emittedAtMs) {
        double[] rewards = transform.apply(group.groupId(), group.indices(), group.rewards());
        GroupAdvantages ranked = advantages.estimate(rewards);
        List<ScoredCompletion> scored = new ArrayList<>(rewards.length);
        for (int k = 0; k < rewards.length; k++) {
            Completion c = group.completions().get(k);
            scored.add(ScoredCompletion.newBuilder()
                    .setIndex(c.getIndex())
                    .setTokenIds(c.getTokenIds())
                    .setBehaviourLogProbs(c.getBehaviourLogProbs())
                    .setPolicyVersion(c.getPolicyVersion())
                    .setPolicyStep(c.getPolicyStep())
                    .setTemperature(c.getTemperature())
                    .setGeneratorId(c.getGeneratorId())
                    .setReward(rewards[k])
                    .setRank(ranked.ranks()[k])
                    .setAdvantage(ranked.advantages()[k])
                    .build());
        }
        Completion first = group.completions().get(0);
        return AdvantageGroup.newBuilder()
                .setGroupId(group.groupId())
                .setPromptId(first.getPromptId())
                .setTask(first.getTask())
                .setEstimator(estimator.name())
                .setGroupSize(first.getGroupSize())
                .setPartial(false)
                .setPromptTokenIds(first.getPromptTokenIds())
                .setCompletions(scored)
                .setLastCompletionAtMs(group.completions().stream().mapToLong(Completion::getSampledAtMs).max().orElse(0))
                .setEmittedAtMs(emittedAtMs)
                .build();
    }
}
