package dev.gopo.rewardproducer;

import dev.gopo.tasks.reward.RewardModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Scores with each task's learned reward model (the same models the generator and the evaluator use). */
final class RewardModelScorer implements CompletionScorer {
    private final Map<String, RewardModel> models;

    private RewardModelScorer(Map<String, RewardModel> models) {
        this.models = models;
    }

    /**
     * Loads one reward model per task, verifying each against its {@code weights.sha256}.
     *
     * @throws IOException naming the directory that cannot be loaded
     */
    static RewardModelScorer load(Map<String, Path> dirs) throws IOException {
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
        return new RewardModelScorer(models);
    }

    @Override
    public boolean knows(String task) {
        return models.containsKey(task);
    }

    @Override
    public double[] score(String task, List<String> prompts, List<String> completions) {
        RewardModel model = models.get(task);
        if (model == null) {
            throw new IllegalArgumentException("no reward model for task '" + task + "'");
        }
        return model.scoreBatch(prompts, completions);
    }

    @Override
    public void close() {
        models.values().forEach(RewardModel::close);
    }
}
