package dev.gopo.generator;

import dev.gopo.tasks.reward.RewardModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The reward models a generator scores completions with in {@link RewardMode#INLINE} mode, one per task. */
final class InlineRewards implements AutoCloseable {
    private final Map<String, RewardModel> models = new HashMap<>();

    InlineRewards(Map<String, Path> dirs) throws IOException {
        try {
            for (Map.Entry<String, Path> e : dirs.entrySet()) {
                models.put(e.getKey(), RewardModel.load(e.getValue()));
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    boolean covers(String task) {
        return models.containsKey(task);
    }

    /**
     * Scores a group. A non-finite score would poison the ranking, so it is an error here rather
     * than a record the ranker has to reject.
     */
    double[] score(String task, String prompt, List<String> completions) {
        RewardModel model = models.get(task);
        if (model == null) {
            throw new IllegalArgumentException("no reward model for task '" + task + "'; have " + models.keySet());
        }
        double[] scores = model.scoreGroup(prompt, completions);
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
