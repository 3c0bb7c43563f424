package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The learner on a real broker: trains, checkpoints, announces, dead-letters bad input, resumes. */
class LearnerIT {
    @TempDir
    Path tmp;

    private LearnerConfig config(Path initPolicy, long maxSteps) {
        // a loose step bound and the optional version bound: the stale fixture below is 5 versions old
        return new LearnerConfig("learner-it", Estimator.GOPO, 2, 1000, 4, 2, false, tmp.resolve("work"), initPolicy,
                TrainerConfig.defaults(1e-3), maxSteps, Duration.ofSeconds(4), 0, false);
    }

    @Test
    void trainsCheckpointsAnnouncesAndResumesWithoutRetraining() throws Exception {
        LearnerHarness h = new LearnerHarness("learner");
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        List<String> first = h.produceGroups(8, 4, 0);
        // Bad input: bytes that are not Avro, and a group sampled 5 versions before the current one.
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(h.infra.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(h.cluster.topicNames().advantages(), "junk", new byte[] {9, 9, 9})).get();
        }
        h.produceGroups(1, 4, -5);

        try (Learner learner = new Learner(config(init, 0), h.cluster)) {
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).isEqualTo(4);
            assertThat(learner.staleDropped()).isEqualTo(1);
        }
        CheckpointStore store = new CheckpointStore(tmp.resolve("work/checkpoints"), 2);
        Checkpoint cp = store.latest().orElseThrow();
        assertThat(cp.step()).isEqualTo(4);
        assertThat(store.all().stream().flatMap(c -> c.trainedGroups().stream())).containsExactlyInAnyOrderElementsOf(first);

        List<PolicyVersion> versions = h.readAll(h.cluster.topicNames().policyVersions(),
                h.cluster.topics().policyVersions().valueSerde().deserializer(), 3, Duration.ofSeconds(20));
        assertThat(versions).extracting(PolicyVersion::getVersion).containsExactly(0L, 1L, 2L);
        PolicyVersion last = versions.get(2);
        assertThat(last.getStep()).isEqualTo(4);
        Path weights = Path.of(URI.create(last.getWeightsUri()));
        try (PolicyModel announced = PolicyModel.load(weights, last.getSha256())) {
            assertThat(announced.contentHash()).isEqualTo(last.getSha256());
        }
        assertThat(last.getSha256()).isNotEqualTo(versions.get(0).getSha256());

        List<TrainingMetrics> metrics = h.readAll(h.cluster.topicNames().metrics(),
                h.cluster.topics().metrics().valueSerde().deserializer(), 4, Duration.ofSeconds(20));
        assertThat(metrics).hasSize(4);
        assertThat(metrics.get(0).getMetrics()).containsKeys("loss/policy", "loss/kl", "ratio/mean", "ratio/clip_fraction",
                "grad/norm", "lag/policy_versions", "lag/policy_versions_max", "lag/optimizer_steps", "lag/optimizer_steps_max",
                "throughput/tokens_per_s");
        metrics.forEach(m -> m.getMetrics().values().forEach(v -> assertThat(v).isFinite()));

        List<DeadLetter> dead = h.readAll(h.cluster.topicNames().deadLetters(),
                h.cluster.topics().deadLetters().valueSerde().deserializer(), 2, Duration.ofSeconds(20));
        assertThat(dead).extracting(DeadLetter::getReason).containsExactlyInAnyOrder("UNDECODABLE", "STALE_POLICY");
        assertThat(dead).allSatisfy(d -> assertThat(d.getOffset()).isNotNull());

        // Restart: resumes at step 4 from the checkpoint, trains only the new groups.
        List<String> second = h.produceGroups(4, 4, 2);
        try (Learner learner = new Learner(config(init, 0), h.cluster)) {
            assertThat(learner.steps()).isEqualTo(4);
            assertThat(learner.policyVersion()).isEqualTo(2);
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).isEqualTo(6);
        }
        List<String> trained = new ArrayList<>();
        store.all().forEach(c -> trained.addAll(c.trainedGroups()));
        List<String> expected = new ArrayList<>(first);
        expected.addAll(second);
        assertThat(trained).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** A learner on the Dr. GRPO advantages, one group per step, its budget the fixtures' longest completion. */
    private LearnerConfig drGrpoOneGroupPerStep(Path init) {
        return new LearnerConfig("learner-it", Estimator.DR_GRPO, 1, 1000, LearnerConfig.NO_VERSION_BOUND, 2, false,
                tmp.resolve("work"), init, TrainerConfig.defaults(1e-3), 0, Duration.ofSeconds(4), Fixtures.MAX_COMPLETION_TOKENS, false);
    }

    private static List<AdvantageGroup> drGrpoGroups(String idPrefix, int count, double rewardScale) {
        return IntStream.range(0, count).mapToObj(i -> Fixtures.drGrpoGroup(idPrefix + "-" + i, 4, 0, i, rewardScale)).toList();
    }

    /**
     * A Dr. GRPO group with rewards of ±3e38 (finite, so the ranker emits it; see {@link Fixtures#drGrpoGroup}) overflows
     * the loss: its step is recomputed once, fails again, and is skipped; the group goes to the dead-letter topic and the
     * learner trains on. Groups per step is 1, so the poisoned group takes no good group down with it. A completion longer
     * than the Dr. GRPO budget is dead-lettered at admission instead of failing its step.
     */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void nonFiniteStepIsSkippedAndItsGroupDeadLettered() throws Exception {
        LearnerHarness h = new LearnerHarness("learner-nonfinite", 2, Estimator.DR_GRPO.topicSuffix());
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        List<AdvantageGroup> good = drGrpoGroups("good", 3, 1.5);
        AdvantageGroup poisoned = Fixtures.drGrpoGroup("poisoned-0", 4, 0, 7, Fixtures.OVERFLOWING_REWARD_SCALE);
        AdvantageGroup overBudget = Fixtures.drGrpoGroup("over-budget-0", 4, 0, 8, 1.5);
        ScoredCompletion longest = ScoredCompletion.newBuilder(overBudget.getCompletions().get(1)).build();
        List<Integer> tokens = new ArrayList<>(java.util.Collections.nCopies(Fixtures.MAX_COMPLETION_TOKENS, 50));
        tokens.add(dev.gopo.policy.Tokenizer.EOS);
        longest.setTokenIds(tokens);
        longest.setBehaviourLogProbs(new ArrayList<>(java.util.Collections.nCopies(tokens.size(), -4.5f)));
        List<ScoredCompletion> completions = new ArrayList<>(overBudget.getCompletions());
        completions.set(1, longest);
        overBudget.setCompletions(completions);
        List<AdvantageGroup> all = new ArrayList<>(good);
        all.add(poisoned);
        all.add(overBudget);
        h.produce(all);
        try (Learner learner = new Learner(drGrpoOneGroupPerStep(init), h.cluster)) {
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).isEqualTo(3);
            assertThat(learner.overBudgetRejected()).isEqualTo(1);
        }
        CheckpointStore store = new CheckpointStore(tmp.resolve("work/checkpoints"), 2);
        assertThat(store.all().stream().flatMap(c -> c.trainedGroups().stream()))
                .containsExactlyInAnyOrderElementsOf(good.stream().map(AdvantageGroup::getGroupId).toList());

        List<DeadLetter> dead = h.readAll(h.cluster.topicNames().deadLetters(),
                h.cluster.topics().deadLetters().valueSerde().deserializer(), 2, Duration.ofSeconds(20));
        assertThat(dead).hasSize(2);
        assertThat(dead).filteredOn(d -> d.getReason().equals("NON_FINITE_UPDATE")).singleElement().satisfies(d -> {
            assertThat(d.getKey()).isEqualTo(poisoned.getGroupId());
            assertThat(d.getDetail()).contains("update skipped, weights unchanged");
            assertThat(d.getPayload()).isNotNull();
        });
        assertThat(dead).filteredOn(d -> d.getReason().equals("INCONSISTENT_RECORD")).singleElement().satisfies(d -> {
            assertThat(d.getKey()).isEqualTo(overBudget.getGroupId());
            assertThat(d.getDetail()).contains("completion 1 of group over-budget-0", "has 9 tokens", "--max-completion-tokens 8");
        });
        List<TrainingMetrics> metrics = h.readAll(h.cluster.topicNames().metrics(),
                h.cluster.topics().metrics().valueSerde().deserializer(), 3, Duration.ofSeconds(20));
        assertThat(metrics).hasSize(3);
        assertThat(metrics).allSatisfy(m -> assertThat(m.getMetrics().get("grad/norm")).isFinite());
        List<PolicyVersion> versions = h.readAll(h.cluster.topicNames().policyVersions(),
                h.cluster.topics().policyVersions().valueSerde().deserializer(), 1, Duration.ofSeconds(20));
        assertThat(versions).as("spelled as the ranker's Estimator enum").allSatisfy(v -> assertThat(v.getEstimator()).isEqualTo("DR_GRPO"));
    }

    /** Nothing but overflowing steps (Dr. GRPO rewards of ±3e38): the learner stops with an error that says training diverges. */
    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void stopsWhenStepsKeepOverflowing() throws Exception {
        LearnerHarness h = new LearnerHarness("learner-diverges", 2, Estimator.DR_GRPO.topicSuffix());
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        h.produce(drGrpoGroups("poisoned", Learner.MAX_NON_FINITE_IN_A_ROW + 2, Fixtures.OVERFLOWING_REWARD_SCALE));
        try (Learner learner = new Learner(drGrpoOneGroupPerStep(init), h.cluster)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> learner.run(new AtomicBoolean()))
                    .hasMessageContaining((Learner.MAX_NON_FINITE_IN_A_ROW + 1) + " steps in a row had a non-finite loss")
                    .hasMessageContaining("training diverges");
            assertThat(learner.steps()).isZero();
        }
    }
}
