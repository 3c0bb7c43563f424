package dev.gopo.learner;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a checkpoint holds besides the trainer state: the step, the policy version announced for it,
 * the next offset to consume per advantages partition, and the ledger of group ids trained since
 * the previous checkpoint. Weights, optimizer state and offsets are committed together (one
 * directory rename), so a restart resumes exactly where the checkpoint was.
 *
 * @param offsets next offset to read, keyed by {@code topic-partition}
 */
public record Checkpoint(long step, long policyVersion, Map<String, Long> offsets, List<String> trainedGroups, Path dir) {
    public Checkpoint {
        offsets = Map.copyOf(offsets);
        trainedGroups = List.copyOf(trainedGroups);
    }

    public Path trainerDir() {
        return dir.resolve("trainer");
    }
}
