package dev.gopo.rewardproducer;

import dev.gopo.tasks.reward.RewardModels;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Scores with each task's learned reward model: the {@link RewardModels} the generator and the evaluator use too. */
final class RewardModelScorer implements CompletionScorer {
    private final RewardModels models;

    private RewardModelScorer(RewardModels models) {
        this.models = models;
    }

    /** @throws IOException naming the task and directory that cannot be loaded */
    static RewardModelScorer load(Map<String, Path> dirs) throws IOException {
        return new RewardModelScorer(RewardModels.load(dirs));
    }

    @Override
    public boolean knows(String task) {
        return models.covers(task);
    }

    @Override
    public double[] score(String task, List<String> prompts, List<String> completions) {
        return models.scoreBatch(task, prompts, completions);
    }

    @Override
    public void close() {
        models.close();
    }
}
