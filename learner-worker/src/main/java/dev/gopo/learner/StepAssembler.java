package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.training.TrainingSequence;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Collects admitted advantage groups (see {@link GroupAdmission} for the staleness, future and
 * temperature checks) into optimisation steps of {@code groupsPerStep} groups.
 */
public final class StepAssembler {
    private final int groupsPerStep;
    private final List<Accepted> pending = new ArrayList<>();

    /**
     * A group accepted for a step, with the record it was decoded from, so that a step that cannot
     * be applied can dead-letter its groups with their coordinates and original bytes, and its
     * {@link #sequences(List) training sequences} (the learner makes them on its prefetch thread).
     */
    public record Accepted(AdvantageGroup group, ConsumerRecord<String, byte[]> record, List<TrainingSequence> sequences) {
        public Accepted {
            sequences = List.copyOf(sequences);
        }
    }

    public StepAssembler(int groupsPerStep) {
        if (groupsPerStep < 1) {
            throw new IllegalArgumentException("groupsPerStep must be >= 1, got " + groupsPerStep);
        }
        this.groupsPerStep = groupsPerStep;
    }

    /** Adds an admitted group with its training sequences; returns the step's groups once {@code groupsPerStep} are pending. */
    public Optional<List<Accepted>> add(Accepted accepted) {
        pending.add(accepted);
        if (pending.size() < groupsPerStep) {
            return Optional.empty();
        }
        List<Accepted> step = List.copyOf(pending);
        pending.clear();
        return Optional.of(step);
    }

    public int pendingGroups() {
        return pending.size();
    }

    /** Forgets pending groups (after a rebalance or restore they are re-read from Kafka). */
    public void clear() {
        pending.clear();
    }

    /** The training sequences of a step's groups, in order: the same as {@link #sequences(List)} of its groups. */
    public static List<TrainingSequence> sequencesOf(List<Accepted> step) {
        return step.stream().flatMap(a -> a.sequences().stream()).toList();
    }

    /**
     * One {@link TrainingSequence} per completion. Completions with zero advantage still count in
     * the token average (token-level averaging over the whole micro-batch) — they contribute
     * only through the KL term.
     */
    public static List<TrainingSequence> sequences(List<AdvantageGroup> groups) {
        List<TrainingSequence> out = new ArrayList<>();
        for (AdvantageGroup g : groups) {
            int[] prompt = g.getPromptTokenIds().stream().mapToInt(Integer::intValue).toArray();
            for (ScoredCompletion c : g.getCompletions()) {
                int[] tokens = c.getTokenIds().stream().mapToInt(Integer::intValue).toArray();
                float[] logProbs = new float[c.getBehaviourLogProbs().size()];
                for (int i = 0; i < logProbs.length; i++) {
                    logProbs[i] = c.getBehaviourLogProbs().get(i);
                }
                out.add(new TrainingSequence(prompt, tokens, logProbs, c.getAdvantage()));
            }
        }
        return out;
    }
}
