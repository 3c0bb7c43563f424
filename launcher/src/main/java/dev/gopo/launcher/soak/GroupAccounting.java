package dev.gopo.launcher.soak;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where every group of the fed prompts ended up, from what the pipeline left behind (pure: no Kafka, no files).
 *
 * <p>Each prompt record is one group (the generator derives the group id from the prompt's coordinates). A group is
 * <ul>
 *   <li><b>trained</b> when the learner's ledger (the trained group ids in its checkpoints) holds it; more than once is
 *       <b>doubled in the ledger</b>;</li>
 *   <li>else <b>dead-lettered</b> when a dead letter carries its key, counted under the first reason seen;</li>
 *   <li>else <b>pending</b> when it is still in flight: on the advantages topic at or after the learner's checkpointed
 *       position ({@code RANKED}), with completions but not yet ranked ({@code SAMPLED}), or its prompt at or after the
 *       generators' committed position ({@code NOT_SAMPLED});</li>
 *   <li>else <b>lost</b>: on the advantages topic before the checkpointed position yet neither trained nor dead-lettered,
 *       or its prompt behind the generators' committed position with no completion and no dead letter.</li>
 * </ul>
 * A group id that the read_committed advantages topic holds more than once is <b>doubled on advantages</b>.
 */
public final class GroupAccounting {
    private GroupAccounting() {
    }

    /** A record's key and coordinates. */
    public record Keyed(String key, int partition, long offset) {
        public Keyed {
            Objects.requireNonNull(key, "key");
        }
    }

    /** Where an in-flight group is. */
    public enum Pending {
        /** On the advantages topic, not yet trained (at or after the learner's checkpointed position). */
        RANKED,
        /** Completions published, no advantages yet (the ranker waits for rewards or has not processed them). */
        SAMPLED,
        /** The prompt is not yet consumed by a generator. */
        NOT_SAMPLED
    }

    /**
     * What the pipeline left behind.
     *
     * @param groups            the group id of every fed prompt record, with the prompt's partition and offset
     * @param promptCommitted   the generators' committed position per prompts partition (absent: nothing committed)
     * @param ledger            every trained group id in the learner's checkpoints, in checkpoint order (repeats kept)
     * @param advantages        every read_committed advantages record (repeats kept)
     * @param checkpointOffsets the learner's checkpointed next offset per advantages partition
     * @param deadLetters       the key and reason of every dead letter about a group, in topic order
     * @param sampled           group ids with at least one completion
     */
    public record Observed(List<Keyed> groups, Map<Integer, Long> promptCommitted, List<String> ledger, List<Keyed> advantages,
                           Map<Integer, Long> checkpointOffsets, List<Map.Entry<String, String>> deadLetters, Set<String> sampled) {
        public Observed {
            groups = List.copyOf(groups);
            promptCommitted = Map.copyOf(promptCommitted);
            ledger = List.copyOf(ledger);
            advantages = List.copyOf(advantages);
            checkpointOffsets = Map.copyOf(checkpointOffsets);
            deadLetters = List.copyOf(deadLetters);
            sampled = Set.copyOf(sampled);
        }
    }

    /**
     * The counts. {@code lostIds}, {@code doubledLedgerIds} and {@code doubledAdvantageIds} name the groups (sorted).
     *
     * @param trainedAlsoDeadLettered trained groups that also have a dead letter, by reason: a late copy of a record after
     *                                the group was emitted ({@code GROUP_TIMEOUT} after a partial group), for example
     * @param unknownTrained          ledger ids that no fed prompt explains
     */
    public record Tally(int produced, int trained, Map<String, Integer> deadLettered, Map<Pending, Integer> pending, List<String> lostIds,
                        List<String> doubledLedgerIds, List<String> doubledAdvantageIds, Map<String, Integer> trainedAlsoDeadLettered,
                        List<String> unknownTrained) {
        public int deadLetteredTotal() {
            return deadLettered.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int pendingTotal() {
            return pending.values().stream().mapToInt(Integer::intValue).sum();
        }

        public int lost() {
            return lostIds.size();
        }

        public int doubledInLedger() {
            return doubledLedgerIds.size();
        }

        public int doubledOnAdvantages() {
            return doubledAdvantageIds.size();
        }

        /** No group lost, none trained or emitted twice, nothing trained that was never fed. */
        public boolean clean() {
            return lostIds.isEmpty() && doubledLedgerIds.isEmpty() && doubledAdvantageIds.isEmpty() && unknownTrained.isEmpty();
        }
    }

    public static Tally account(Observed o) {
        Map<String, Integer> ledger = counts(o.ledger());
        Map<String, Integer> onAdvantages = counts(o.advantages().stream().map(Keyed::key).toList());
        Map<String, Keyed> firstAdvantage = new HashMap<>();
        o.advantages().forEach(a -> firstAdvantage.putIfAbsent(a.key(), a));
        Map<String, String> firstReason = new HashMap<>();
        o.deadLetters().forEach(d -> firstReason.putIfAbsent(d.getKey(), d.getValue()));

        int trained = 0;
        Map<String, Integer> deadLettered = new TreeMap<>();
        Map<Pending, Integer> pending = new LinkedHashMap<>();
        for (Pending p : Pending.values()) {
            pending.put(p, 0);
        }
        Map<String, Integer> alsoDead = new TreeMap<>();
        List<String> lost = new ArrayList<>();
        Set<String> fed = new HashSet<>();
        for (Keyed g : o.groups()) {
            String id = g.key();
            fed.add(id);
            String reason = firstReason.get(id);
            if (ledger.containsKey(id)) {
                trained++;
                if (reason != null) {
                    alsoDead.merge(reason, 1, Integer::sum);
                }
            } else if (reason != null) {
                deadLettered.merge(reason, 1, Integer::sum);
            } else if (firstAdvantage.containsKey(id)) {
                Keyed a = firstAdvantage.get(id);
                if (a.offset() >= o.checkpointOffsets().getOrDefault(a.partition(), 0L)) {
                    pending.merge(Pending.RANKED, 1, Integer::sum);
                } else {
                    lost.add(id);
                }
            } else if (o.sampled().contains(id)) {
                pending.merge(Pending.SAMPLED, 1, Integer::sum);
            } else if (g.offset() >= o.promptCommitted().getOrDefault(g.partition(), 0L)) {
                pending.merge(Pending.NOT_SAMPLED, 1, Integer::sum);
            } else {
                lost.add(id);
            }
        }
        List<String> unknown = ledger.keySet().stream().filter(id -> !fed.contains(id)).sorted().toList();
        return new Tally(o.groups().size(), trained, deadLettered, pending, sorted(lost), repeated(ledger), repeated(onAdvantages), alsoDead,
                unknown);
    }

    static Map<String, Integer> counts(Collection<String> ids) {
        Map<String, Integer> counts = new HashMap<>();
        ids.forEach(id -> counts.merge(id, 1, Integer::sum));
        return counts;
    }

    private static List<String> repeated(Map<String, Integer> counts) {
        return counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted().toList();
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}
