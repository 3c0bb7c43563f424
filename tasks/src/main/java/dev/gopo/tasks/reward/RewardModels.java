package dev.gopo.tasks.reward;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The learned reward model of each task, loaded once and closed together. Every component that
 * scores with reward models goes through this class: the generator's inline rewards, the example
 * reward producer and the evaluator, so loading, the per-task lookup and its error messages are
 * the same everywhere.
 */
public final class RewardModels implements AutoCloseable {
    private final Map<String, RewardModel> models;

    private RewardModels(Map<String, RewardModel> models) {
        this.models = models;
    }

    /**
     * Loads one reward model per task, each verified against its {@code weights.sha256}. When one
     * fails, the ones already loaded are closed.
     *
     * @param dirs reward-model directory by canonical task name
     * @throws IOException naming the task and directory that cannot be loaded, and how to fix it
     */
    public static RewardModels load(Map<String, Path> dirs) throws IOException {
        Map<String, RewardModel> models = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                try {
                    models.put(e.getKey(), RewardModel.load(e.getValue()));
                } catch (IOException ex) {
                    throw new IOException("cannot load the reward model of task '" + e.getKey() + "' from " + e.getValue()
                            + ": " + ex.getMessage() + " (run 'gopo prepare' or fix --reward-model)", ex);
                }
            }
        } catch (IOException | RuntimeException e) {
            models.values().forEach(RewardModel::close);
            throw e;
        }
        return new RewardModels(models);
    }

    /** Whether a reward model for {@code task} is loaded. */
    public boolean covers(String task) {
        return models.containsKey(task);
    }

    /** The tasks with a loaded reward model, in load order. */
    public Set<String> tasks() {
        return Collections.unmodifiableSet(models.keySet());
    }

    /**
     * The reward model of {@code task}; it stays owned by this object (do not close it).
     *
     * @throws IllegalArgumentException when none is loaded for the task
     */
    public RewardModel model(String task) {
        RewardModel model = models.get(task);
        if (model == null) {
            throw new IllegalArgumentException("no reward model for task '" + task + "'; have " + models.keySet());
        }
        return model;
    }

    /**
     * Rewards of {@code completions.get(i)} for {@code prompts.get(i)}, all of one task. Scores are
     * returned as the model gives them, non-finite ones included: the caller decides what a
     * non-finite reward means (the reward producer dead-letters that one completion).
     *
     * @throws IllegalArgumentException when no model is loaded for the task or an input cannot be scored
     */
    public double[] scoreBatch(String task, List<String> prompts, List<String> completions) {
        return model(task).scoreBatch(prompts, completions);
    }

    /**
     * Rewards of a group's completions of one prompt. A non-finite score would poison the group's
     * ranking, and a group cannot be written in part, so it is an error here.
     *
     * @throws IllegalArgumentException when no model is loaded for the task
     * @throws IllegalStateException    when the model gives a non-finite score
     */
    public double[] scoreGroup(String task, String prompt, List<String> completions) {
        double[] scores = model(task).scoreGroup(prompt, completions);
        for (int i = 0; i < scores.length; i++) {
            if (!Double.isFinite(scores[i])) {
                throw new IllegalStateException("reward model of task '" + task + "' gave a non-finite score " + scores[i]
                        + " to completion " + i + " of prompt '" + prompt + "'");
            }
        }
        return scores;
    }

    @Override
    public void close() {
        models.values().forEach(RewardModel::close);
        models.clear();
    }
}
