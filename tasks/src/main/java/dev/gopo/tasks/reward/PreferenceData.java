package dev.gopo.tasks.reward;

import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;

import java.util.List;

/**
 * The preference data set of one task: training pairs from {@link Split#TRAIN} prompts and
 * held-out pairs from {@link Split#EVAL} prompts, so held-out accuracy measures generalisation to
 * unseen prompts, not just unseen pairs. Tasks with few distinct prompts get more pairs per
 * prompt, so every task gets about the same number of pairs.
 */
public record PreferenceData(List<PreferencePair> train, List<PreferencePair> heldOut) {

    /** Prompts drawn per split at most; summarise has far more, constrained fewer. */
    static final int MAX_TRAIN_PROMPTS = 2000;
    static final int MAX_HELD_OUT_PROMPTS = 200;

    public PreferenceData {
        train = List.copyOf(train);
        heldOut = List.copyOf(heldOut);
    }

    /**
     * @param trainPairs   about this many training pairs (rounded up to whole prompts)
     * @param heldOutPairs about this many held-out pairs
     * @param temperature  rater temperature, see {@link PreferenceConfig}
     * @param seed         seed of prompts, candidates and labels
     */
    public static PreferenceData build(Task task, int trainPairs, int heldOutPairs, double temperature, long seed) {
        return build(task, trainPairs, heldOutPairs, temperature, seed, null, 0.0);
    }

    /**
     * As {@link #build(Task, int, int, double, long)}, with a share {@code onPolicyShare} of the
     * pairs (training and held-out alike) drawn from groups of {@code policySamples}; see
     * {@link PreferenceSampler}.
     */
    public static PreferenceData build(Task task, int trainPairs, int heldOutPairs, double temperature, long seed,
                                       PolicySamples policySamples, double onPolicyShare) {
        if (trainPairs < 1 || heldOutPairs < 1) {
            throw new IllegalArgumentException("trainPairs and heldOutPairs must be >= 1, got " + trainPairs + " and "
                    + heldOutPairs);
        }
        List<TaskPrompt> trainPrompts = task.prompts(Split.TRAIN, Math.min(MAX_TRAIN_PROMPTS, trainPairs), seed);
        List<TaskPrompt> heldOutPrompts = task.prompts(Split.EVAL, Math.min(MAX_HELD_OUT_PROMPTS, heldOutPairs), seed + 1);
        if (trainPrompts.isEmpty() || heldOutPrompts.isEmpty()) {
            throw new IllegalStateException("task " + task.name() + " produced no prompts for one of its splits");
        }
        int perTrain = (trainPairs + trainPrompts.size() - 1) / trainPrompts.size();
        int perHeldOut = (heldOutPairs + heldOutPrompts.size() - 1) / heldOutPrompts.size();
        List<PreferencePair> train = new PreferenceSampler(task, new PreferenceConfig(perTrain, temperature, seed * 3 + 1),
                policySamples, onPolicyShare).sample(trainPrompts);
        List<PreferencePair> heldOut = new PreferenceSampler(task,
                new PreferenceConfig(perHeldOut, temperature, seed * 3 + 2), policySamples, onPolicyShare)
                .sample(heldOutPrompts);
        return new PreferenceData(train, heldOut);
    }
}
