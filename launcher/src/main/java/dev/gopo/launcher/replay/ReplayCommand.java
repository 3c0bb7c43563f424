package dev.gopo.launcher.replay;

import dev.gopo.evaluator.EvaluatorDefaults;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.replay.ReplaySource;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.PrepareOptions;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo replay}: an ablation on a recorded run's rollouts, on the user's cluster; only wiring, see {@link Replay}. */
@Command(name = "replay", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Replay a recorded run's completions into a deterministic ablation: rank them again with --estimator after",
                "--reward-transform, train a fresh learner from the reference policy on exactly those groups, evaluate its versions.",
                "Reads <source-prefix>completions (and rewards) from offset 0; writes only topics under --prefix, which must be new.",
                "The same topics and options give bit-identical weights. Keep the recorded topics with retention.ms=-1 and",
                "retention.bytes=-1 (see docs/replay.md)."})
public final class ReplayCommand implements Callable<Integer> {
    @Mixin
    PrepareOptions prepareOptions;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--source-prefix", paramLabel = "PREFIX",
            description = "Topic prefix of the recorded run (only read). Default: --topic-prefix (gopo.)")
    String sourcePrefix;

    @Option(names = "--prefix", paramLabel = "PREFIX", required = true,
            description = "New topic prefix for everything the replay writes (advantages, policy versions, metrics, evaluation), e.g. replay-grpo-1.")
    String prefix;

    @Option(names = "--estimator", defaultValue = "GOPO", paramLabel = "ESTIMATOR",
            description = "GOPO, GOPO_ARBITRARY_TIES, GRPO, DR_GRPO or RLOO, any case. Default: ${DEFAULT-VALUE}")
    Estimator estimator;

    @Option(names = "--reward-transform", defaultValue = RankerConfig.REWARD_TRANSFORM_DEFAULT, paramLabel = "SPEC",
            description = RankerConfig.REWARD_TRANSFORM_DOC + " Default: ${DEFAULT-VALUE}")
    String rewardTransform;

    @Option(names = "--steps", defaultValue = "0", description = "Learner steps; 0 = every complete recorded group (groups / --groups-per-step). Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--groups-per-step", defaultValue = "" + LearnerDefaults.GROUPS_PER_STEP, description = "Groups per learner step. Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = "--checkpoint-every", defaultValue = "" + LearnerDefaults.CHECKPOINT_EVERY, description = "Checkpoint and announce a policy version every N steps. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--lr", defaultValue = "" + LearnerDefaults.LR, description = "Learner peak learning rate. Default: ${DEFAULT-VALUE}")
    double lr;

    @Option(names = "--beta", defaultValue = "" + LearnerDefaults.BETA, description = "KL weight. Default: ${DEFAULT-VALUE}")
    double beta;

    @Option(names = "--eval-prompts", defaultValue = "" + EvaluatorDefaults.EVAL_PROMPTS, description = "Held-out prompts per task and version. Default: ${DEFAULT-VALUE}")
    int evalPrompts;

    @Option(names = "--samples-per-prompt", defaultValue = "" + EvaluatorDefaults.SAMPLES_PER_PROMPT, description = "Completions per held-out prompt. Default: ${DEFAULT-VALUE}")
    int samplesPerPrompt;

    @Option(names = "--eval-every", defaultValue = "5", paramLabel = "VERSIONS", description = "Evaluate versions that are multiples of this; the last always. Default: ${DEFAULT-VALUE}")
    int evalEvery;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Learner checkpoints, weights and eval.csv; must be new. Default: gopo-work/replay/<prefix>")
    Path workDir;





    @Option(names = "--seed", defaultValue = "42", description = "Seed of the recorded run's preparation, and of the evaluation. Default: ${DEFAULT-VALUE}")
    long seed;

    /** The settings these options describe, with the prepared artifacts' paths; validated (prefixes, transform). */
    Replay.Settings settings(Path referencePolicy, Map<String, Path> rewardModels) {
        String source = sourcePrefix == null ? cluster.topicPrefix : sourcePrefix;
        Path dir = workDir != null ? workDir : Path.of("gopo-work", "replay", prefix.isEmpty() ? "default" : prefix);
        return new Replay.Settings(source, prefix, estimator, RewardTransform.parse(rewardTransform), steps, groupsPerStep, checkpointEvery,
                lr, beta, referencePolicy, rewardModels, evalPrompts, samplesPerPrompt, evalEvery, seed, dir);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        // Everything that can be wrong in the options fails here, before the (possibly slow) prepare step.
        Replay.Settings checked = settings(Path.of("."), Map.of("check", Path.of(".")));
        ClusterConfig base = cluster.toConfig();
        KafkaClients.requireBroker(base);
        ClusterConfig source = base.withTopicNames(new TopicNames(checked.sourcePrefix()));
        ClusterConfig target = base.withTopicNames(new TopicNames(checked.targetPrefix()));
        long recorded = new ReplaySource(source, target).requireRecorded();
        out.printf("replay: %d records on %s%n", recorded, source.topicNames().completions());
        PrepareSettings prepare = prepareOptions.settings(seed);
        PreparedArtifacts prepared = new Prepare(prepare, prepareOptions.cacheDir(), out).run();
        Replay.Result result = Replay.run(settings(prepared.referencePolicyDir(), prepared.rewardModelDirs()), base, out);
        out.printf("replay done: %d groups used, %d skipped, %d steps, policy version %d, weights sha256 %s, evaluation %s%n",
                result.groupsUsed(), result.groupsSkipped(), result.steps(), result.policyVersion(), result.finalWeightsSha256(), result.evalCsv());
        return 0;
    }
}
