package dev.gopo.launcher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.generator.Generator;
import dev.gopo.generator.GeneratorConfig;
import dev.gopo.generator.RewardMode;
import dev.gopo.generator.feed.PromptFeeder;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import ai.djl.ndarray.NDArray;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.replay.ReplaySource;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.testing.TestInfra;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gopo replay} on a real broker and registry: a small recorded run (a generator with inline rewards, 32 groups of
 * G = 4, tiny models) replayed several times under new prefixes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ReplayIT {
    private static final int GROUPS = 32;
    private static final int G = 4;

    @TempDir
    static Path tmp;

    private ClusterConfig cluster;
    private String sourcePrefix;
    private PreparedArtifacts prepared;
    private Map<String, Path> rewardModels;

    @BeforeAll
    void recordARun() throws Exception {
        TestInfra infra = TestInfra.get();
        sourcePrefix = TestInfra.uniquePrefix("replay-src");
        cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(sourcePrefix));
        prepared = new Prepare(PrepareSettings.defaults().withModelSize(ModelSize.TINY).withSteps(60, 60).withSeed(3), tmp.resolve("cache"),
                new PrintWriter(new StringWriter())).run();
        rewardModels = new TreeMap<>();
        prepared.tasks().forEach(t -> rewardModels.put(t, prepared.rewardModelDir(t)));
        TopicNames names = cluster.topicNames();
        KafkaClients.ensureTopics(cluster, List.of(names.prompts(), names.completions(), names.rewards()), 2);
        KafkaClients.ensureTopics(cluster, List.of(names.policyVersions()), 1);
        PromptFeeder.publish(cluster, PromptFeeder.prompts(TaskRegistry.byNames(prepared.tasks()), Split.TRAIN, GROUPS, 5));
        GeneratorConfig config = new GeneratorConfig("recorder", sourcePrefix + "generators", G,
                new SamplingConfig(1.0, 0, 1.0, TaskVocabulary.MAX_COMPLETION_TOKENS, 11), RewardMode.INLINE, prepared.referencePolicyDir(),
                rewardModels, 0, GROUPS, Duration.ofSeconds(60));
        try (Generator generator = new Generator(config, cluster)) {
            generator.run(new AtomicBoolean());
            assertThat(generator.groups()).isEqualTo(GROUPS);
        }
    }

    private Replay.Result replay(String name, Estimator estimator, String transform) throws Exception {
        String prefix = TestInfra.uniquePrefix(name);
        Replay.Settings settings = new Replay.Settings(sourcePrefix, prefix, estimator, RewardTransform.parse(transform), 0, 4, 4, 1e-3, 0.04,
                prepared.referencePolicyDir(), rewardModels, 2, 1, 1, 3, tmp.resolve(prefix));
        StringWriter text = new StringWriter();
        Replay.Result result = Replay.run(settings, cluster, new PrintWriter(text, true));
        assertThat(result.groupsUsed()).as(text.toString()).isEqualTo(GROUPS);
        assertThat(result.groupsSkipped()).isZero();
        assertThat(result.steps()).isEqualTo(GROUPS / 4);
        assertThat(result.policyVersion()).as("versions at steps 4 and 8").isEqualTo(2);
        // versions 0, 1 and 2 evaluated on each task
        assertThat(Files.readAllLines(result.evalCsv())).hasSize(1 + 3 * rewardModels.size());
        return result;
    }

    /** The published advantages' ranking-relevant content: group id, then advantage per completion, in training order. */
    private static List<String> advantages(ReplaySource.Result r) {
        return r.published().stream().map(g -> g.getGroupId() + "=" + g.getCompletions().stream().map(ScoredCompletion::getAdvantage).toList())
                .toList();
    }

    @Test
    void twoReplaysOfTheSameTopicsEndWithBitIdenticalWeightsAndGopoIgnoresAStrictlyIncreasingTransform() throws Exception {
        Replay.Result first = replay("replay-a", Estimator.GOPO, "identity");
        Replay.Result second = replay("replay-b", Estimator.GOPO, "identity");
        assertThat(advantages(second.source())).isEqualTo(advantages(first.source()));
        // measured as well as hashed, so a failure says how far apart the two replays ended
        assertThat(maxAbsWeightDifference(first.finalWeights(), second.finalWeights())).as("max |w1 - w2| of two replays").isZero();
        assertThat(second.finalWeightsSha256()).as("two replays of the same topics").isEqualTo(first.finalWeightsSha256());

        Replay.Result cubed = replay("replay-cubed", Estimator.GOPO, "power:3");
        assertThat(advantages(cubed.source())).isEqualTo(advantages(first.source()));
        assertThat(cubed.source().published().get(0).getCompletions()).extracting(ScoredCompletion::getReward)
                .isNotEqualTo(first.source().published().get(0).getCompletions().stream().map(ScoredCompletion::getReward).toList());
        assertThat(cubed.finalWeightsSha256()).as("GOPO under power:3 trains the same steps").isEqualTo(first.finalWeightsSha256());
        // the replay really trained: the final weights are not the reference policy's
        assertThat(first.finalWeightsSha256()).isNotEqualTo(prepared.referencePolicySha256());
    }

    @Test
    void grpoAdvantagesMoveUnderTheSameTransform() {
        ClusterConfig plain = withPrefix(TestInfra.uniquePrefix("replay-grpo"));
        ClusterConfig cubed = withPrefix(TestInfra.uniquePrefix("replay-grpo-cubed"));
        ReplaySource.Result identity = new ReplaySource(cluster, plain).replay(Estimator.GRPO, RewardTransform.identity(), 1e-4);
        ReplaySource.Result power = new ReplaySource(cluster, cubed).replay(Estimator.GRPO, RewardTransform.parse("power:3"), 1e-4);
        assertThat(identity.published()).extracting(AdvantageGroup::getGroupId)
                .isEqualTo(power.published().stream().map(AdvantageGroup::getGroupId).toList());
        assertThat(identity.published()).extracting(AdvantageGroup::getEstimator).containsOnly("GRPO");
        assertThat(advantages(power)).isNotEqualTo(advantages(identity));
        assertThat(identity.topic()).isEqualTo(plain.topicNames().advantages("grpo"));
    }

    @Test
    void clearErrorsForAMissingSourceAnEqualPrefixAndAUsedTarget() {
        ClusterConfig missing = withPrefix(TestInfra.uniquePrefix("no-such-run"));
        assertThatThrownBy(() -> new ReplaySource(missing, withPrefix("elsewhere.")).requireRecorded())
                .hasMessageContaining(missing.topicNames().completions()).hasMessageContaining("does not exist").hasMessageContaining("--source-prefix");
        assertThatThrownBy(() -> new ReplaySource(cluster, cluster)).hasMessageContaining("never writes to the recorded run's topics");
        ClusterConfig empty = withPrefix(TestInfra.uniquePrefix("empty-run"));
        KafkaClients.ensureTopics(empty, List.of(empty.topicNames().completions()), 1);
        assertThatThrownBy(() -> new ReplaySource(empty, withPrefix("elsewhere.")).requireRecorded())
                .hasMessageContaining("is empty").hasMessageContaining("retention.ms=-1");
        ClusterConfig target = withPrefix(TestInfra.uniquePrefix("replay-once"));
        new ReplaySource(cluster, target).replay(Estimator.RLOO, RewardTransform.identity(), 1e-4);
        assertThatThrownBy(() -> new ReplaySource(cluster, target).replay(Estimator.RLOO, RewardTransform.identity(), 1e-4))
                .hasMessageContaining("already exists and is not empty").hasMessageContaining("new --prefix");
    }

    /** The largest absolute difference between two saved policies' parameters, tensor by tensor. */
    private static double maxAbsWeightDifference(Path a, Path b) throws Exception {
        try (PolicyModel x = PolicyModel.load(a); PolicyModel y = PolicyModel.load(b)) {
            Map<String, NDArray> ys = y.weights().asMap();
            assertThat(ys.keySet()).isEqualTo(x.weights().asMap().keySet());
            double max = 0;
            for (Map.Entry<String, NDArray> e : x.weights().asMap().entrySet()) {
                float[] u = e.getValue().toFloatArray();
                float[] v = ys.get(e.getKey()).toFloatArray();
                for (int i = 0; i < u.length; i++) {
                    max = Math.max(max, Math.abs((double) u[i] - v[i]));
                }
            }
            return max;
        }
    }

    private ClusterConfig withPrefix(String prefix) {
        return new ClusterConfig(cluster.bootstrapServers(), cluster.registryUrl(), new TopicNames(prefix));
    }
}
