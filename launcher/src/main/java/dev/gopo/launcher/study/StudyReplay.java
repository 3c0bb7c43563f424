package dev.gopo.launcher.study;

import dev.gopo.launcher.replay.Replay;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.tasks.PreparedArtifacts;
import java.io.PrintWriter;
import java.nio.file.Path;

/** A replay cell: the seed's recorded rollouts, ranked by the cell's estimator after its transform, trained by a fresh learner. */
final class StudyReplay {
    private StudyReplay() {
    }

    /**
     * Replays the rollouts under {@code sourcePrefix} into the cell's topics ({@code cluster}'s prefix) and work directory,
     * with the study's budget: the same steps, groups per step, checkpoint interval and evaluation as the online cells.
     */
    static Replay.Result run(StudySettings settings, Cell cell, ClusterConfig cluster, String sourcePrefix, PreparedArtifacts prepared,
                             Path cellDir, PrintWriter out) throws Exception {
        Replay.Settings replay = new Replay.Settings(sourcePrefix, cluster.topicNames().prefix(), cell.estimator(),
                RewardTransform.parse(cell.transform()), settings.steps(), settings.groupsPerStep(), settings.checkpointEvery(),
                settings.lr(), settings.beta(), prepared.referencePolicyDir(), prepared.rewardModelDirs(), settings.evalPrompts(),
                settings.samplesPerPrompt(), settings.evalEvery(), cell.seed(), cellDir);
        return Replay.run(replay, cluster, out);
    }
}
