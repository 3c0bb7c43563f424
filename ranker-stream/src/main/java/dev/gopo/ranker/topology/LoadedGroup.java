package dev.gopo.ranker.topology;

import dev.gopo.ranker.state.StoredCompletionBytes;
import dev.gopo.ranker.state.StoredPromptBytes;
import java.util.List;

/**
 * The scored completions of a group read back from the store (as byte ranges, see
 * {@link StoredCompletionBytes}), ordered by index, with the reward each one is ranked by;
 * {@link AdvantageGroupWriter} turns it and an estimator's result into the emitted record.
 */
record LoadedGroup(String groupId, int groupSize, boolean partial, StoredPromptBytes prompt, int[] indices, List<StoredCompletionBytes> completions,
                   double[] rewards, long lastEventMs) {

    /** The same group ranked by other rewards (the reward transform's), which the record then carries. */
    LoadedGroup withRewards(double[] transformed) {
        return new LoadedGroup(groupId, groupSize, partial, prompt, indices, completions, transformed, lastEventMs);
    }
}
