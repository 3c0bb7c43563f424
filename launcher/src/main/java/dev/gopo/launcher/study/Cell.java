package dev.gopo.launcher.study;

import dev.gopo.schemas.topic.Estimator;

/**
 * One cell of a study's grid: one training run of {@code estimator} on rewards passed through
 * {@code transform}, with run seed {@code seed}, online or replayed.
 *
 * @param transform the canonical reward transform spec, e.g. {@code identity} or {@code power:3}
 */
public record Cell(StudyMode mode, Estimator estimator, String transform, long seed) {
    /** File-name and topic-prefix safe id, e.g. {@code online-GOPO-power_3-s42}. */
    public String id() {
        return mode.label() + "-" + estimator.name() + "-" + transform.replaceAll("[^a-zA-Z0-9._-]", "_") + "-s" + seed;
    }

    /** Topic prefix of this cell on the study's broker. */
    public String topicPrefix() {
        return "study." + id() + ".";
    }

    /** The online GOPO identity-transform cell of the same seed: the rollouts replay cells train on. */
    public Cell recording() {
        return new Cell(StudyMode.ONLINE, Estimator.GOPO, StudySettings.IDENTITY, seed);
    }

    @Override
    public String toString() {
        return mode.label() + " " + estimator + " " + transform + " seed " + seed;
    }
}
