package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.Prompt;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.TaskPrompt;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.reward.RewardModel;
import dev.gopo.tasks.reward.RewardModelConfig;
import dev.gopo.testing.TestInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generator on a real broker + registry, with a tiny policy and tiny reward models. */
class GeneratorIT {
    /** Not 1.0 (the schema default), so the test sees the generator write it. */
    private static final double SAMPLING_TEMPERATURE = 0.9;

    private static final int G = 4;

    @TempDir
    static Path tmp;
    static Path policyV0;
    static Map<String, Path> rewardModels = new HashMap<>();

    private final TestInfra infra = TestInfra.get();

    @BeforeAll
    static void models() throws Exception {
        policyV0 = tmp.resolve("policy-v0");
        try (PolicyModel m = PolicyModel.create(PolicyConfig.tiny(), Tokenizer.ascii())) {
            m.save(policyV0);
        }
        for (String task : TaskRegistry.names()) {
            Path dir = tmp.resolve("rm-" + task);
            try (RewardModel rm = RewardModel.create(RewardModelConfig.tiny())) {
                rm.save(dir);
            }
            rewardModels.put(task, dir);
        }
    }

    private ClusterConfig cluster(String name) {
        ClusterConfig c = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix(name)));
        KafkaClients.ensureTopics(c, List.of(c.topicNames().prompts()), 4);
        return c;
    }

    private GeneratorConfig config(String id, long maxGroupsPerVersion, long maxPrompts, int idleSeconds) {
        return new GeneratorConfig(id, "gens", G, new SamplingConfig(SAMPLING_TEMPERATURE, 0, 1.0, 24, 5), RewardMode.INLINE, policyV0, rewardModels,
                maxGroupsPerVersion, maxPrompts, Duration.ofSeconds(idleSeconds));
    }

    private static List<Prompt> taskPrompts(int n) {
        List<Prompt> out = new ArrayList<>();
        for (TaskPrompt p : TaskRegistry.all().get(0).prompts(Split.TRAIN, n, 3)) {
            out.add(Prompt.newBuilder().setPromptId(p.id()).setTask(p.task()).setSplit("train").setText(p.text()).setCreatedAtMs(1).build());
        }
        return out;
    }

    private void produce(ClusterConfig c, List<Prompt> prompts) throws Exception {
        Topic<String, Prompt> topic = c.topics().prompts();
        try (KafkaProducer<String, Prompt> p = new KafkaProducer<>(infra.producerProps(), topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (Prompt prompt : prompts) {
                p.send(new ProducerRecord<>(topic.name(), prompt.getPromptId(), prompt)).get();
            }
        }
    }

    private <V> List<V> read(String topic, Deserializer<V> d, int atLeast) {
        return infra.readValues(topic, d, atLeast, Duration.ofSeconds(30));
    }

    @Test
    void turnsPromptsIntoCorrectlyShapedGroupsAndDeadLettersBadPrompts() throws Exception {
        ClusterConfig c = cluster("gen");
        List<Prompt> good = taskPrompts(3);
        List<Prompt> bad = List.of(
                Prompt.newBuilder(good.get(0)).setPromptId("long").setText("x".repeat(200)).build(),
                Prompt.newBuilder(good.get(0)).setPromptId("unknown").setTask("poetry").build(),
                Prompt.newBuilder(good.get(0)).setPromptId("nonascii").setText("caf\u00e9").build(),
                // issue 10 (minor): empty and blank prompts used to be sampled
                Prompt.newBuilder(good.get(0)).setPromptId("empty").setText("").build(),
                Prompt.newBuilder(good.get(0)).setPromptId("blank").setText("   ").build());
        produce(c, bad);
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(infra.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            raw.send(new ProducerRecord<>(c.topicNames().prompts(), "junk", new byte[] {0, 0, 0})).get();
        }
        produce(c, good);
        try (Generator generator = new Generator(config("gen-a", 0, 0, 4), c)) {
            generator.run(new AtomicBoolean());
            assertThat(generator.groups()).isEqualTo(3);
        }
        List<Completion> completions = read(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(), 3 * G);
        Map<String, List<Completion>> byGroup = completions.stream().collect(Collectors.groupingBy(Completion::getGroupId));
        assertThat(byGroup).hasSize(3);
        byGroup.values().forEach(group -> {
            assertThat(group).hasSize(G);
            assertThat(group).extracting(Completion::getIndex).containsExactlyInAnyOrder(0, 1, 2, 3);
            group.forEach(comp -> {
                assertThat(comp.getGroupSize()).isEqualTo(G);
                assertThat(comp.getTokenIds()).isNotEmpty().hasSameSizeAs(comp.getBehaviourLogProbs());
                assertThat(comp.getBehaviourLogProbs()).allSatisfy(lp -> assertThat(lp).isFinite().isLessThanOrEqualTo(0f));
                assertThat(comp.getPolicyVersion()).isZero();
                assertThat(comp.getPolicyStep()).as("the reference policy is step 0").isZero();
                assertThat(comp.getTemperature()).isEqualTo(SAMPLING_TEMPERATURE);
                assertThat(comp.getGeneratorId()).isEqualTo("gen-a");
                assertThat(comp.getReward()).isNotNull().isFinite();
                assertThat(comp.getPromptTokenIds().get(0)).isEqualTo(Tokenizer.BOS);
            });
        });
        List<DeadLetter> dead = read(c.topicNames().deadLetters(), c.topics().deadLetters().valueSerde().deserializer(), 6);
        assertThat(dead).extracting(d -> d.getKey() + ":" + d.getReason())
                .containsExactlyInAnyOrder("long:PROMPT_TOO_LONG", "unknown:UNKNOWN_TASK", "nonascii:INVALID_PROMPT", "junk:UNDECODABLE",
                        "empty:INVALID_PROMPT", "blank:INVALID_PROMPT");
        assertThat(dead).filteredOn(d -> d.getKey().equals("empty")).singleElement()
                .satisfies(d -> assertThat(d.getDetail()).contains("prompt empty is empty"));
        assertThat(dead).filteredOn(d -> d.getReason().equals("PROMPT_TOO_LONG")).singleElement()
                .satisfies(d -> assertThat(d.getDetail()).contains("exceeds"));
    }

    @Test
    void aSecondInstanceTakesOverThePartitionsWithoutRepeatingPrompts() throws Exception {
        ClusterConfig c = cluster("takeover");
        List<Prompt> prompts = taskPrompts(8);
        produce(c, prompts);
        try (Generator first = new Generator(config("gen-first", 0, 3, 30), c)) {
            first.run(new AtomicBoolean());
        }
        try (Generator second = new Generator(config("gen-second", 0, 0, 4), c)) {
            second.run(new AtomicBoolean());
            assertThat(second.groups()).isEqualTo(5);
        }
        List<Completion> completions = read(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(), 8 * G);
        Map<String, Long> groupsPerPrompt = completions.stream().filter(x -> x.getIndex() == 0)
                .collect(Collectors.groupingBy(Completion::getPromptId, Collectors.counting()));
        assertThat(groupsPerPrompt).hasSize(8).allSatisfy((p, n) -> assertThat(n).isEqualTo(1));
        assertThat(completions).extracting(Completion::getGeneratorId).contains("gen-first", "gen-second");
    }

    @Test
    void hotSwapsVerifiedVersionsRejectsBadOnesAndAppliesBackpressure() throws Exception {
        ClusterConfig c = cluster("swap");
        KafkaClients.ensureTopics(c, List.of(c.topicNames().policyVersions()), 1);
        List<Prompt> prompts = taskPrompts(6);
        produce(c, prompts);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicBoolean stop = new AtomicBoolean();
        try (Generator generator = new Generator(config("gen-swap", 2, 0, 0), c)) {
            Future<?> running = pool.submit(() -> {
                generator.run(stop);
                return null;
            });
            long deadline = System.currentTimeMillis() + 60_000;
            while (!generator.isPaused() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.isPaused()).as("paused after 2 groups with version 0").isTrue();
            // Four prompts are waiting. Wait until the loop has gone round twice more while paused (each round polls
            // prompts, then generates whatever it got): had backpressure let a prompt through, a group would be out by then.
            long pollsAtPause = generator.pausedPolls();
            while (generator.pausedPolls() < pollsAtPause + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.pausedPolls()).as("the loop keeps polling while paused").isGreaterThanOrEqualTo(pollsAtPause + 3);
            assertThat(generator.groups()).as("no group while paused").isEqualTo(2);

            Path v1 = tmp.resolve("policy-v1-" + System.nanoTime());
            String sha1;
            try (PolicyModel m = PolicyModel.create(PolicyConfig.tiny().withSeed(99), Tokenizer.ascii())) {
                sha1 = m.save(v1);
            }
            Topic<String, PolicyVersion> versions = c.topics().policyVersions();
            try (KafkaProducer<String, PolicyVersion> p = new KafkaProducer<>(infra.producerProps(), versions.keySerde().serializer(), versions.valueSerde().serializer())) {
                p.send(new ProducerRecord<>(versions.name(), "1", version(1, v1, sha1))).get();
            }
            while (generator.groups() < 4 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.policyVersion()).isEqualTo(1);
            assertThat(generator.groups()).isEqualTo(4);

            // Version 1 also gets only 2 groups before backpressure holds again.
            while (!generator.isPaused() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.isPaused()).isTrue();

            try (KafkaProducer<String, PolicyVersion> p = new KafkaProducer<>(infra.producerProps(), versions.keySerde().serializer(), versions.valueSerde().serializer())) {
                p.send(new ProducerRecord<>(versions.name(), "2", version(2, v1, "00".repeat(32)))).get();
                p.send(new ProducerRecord<>(versions.name(), "3", version(3, tmp.resolve("nowhere"), sha1))).get();
            }
            List<DeadLetter> dead = read(c.topicNames().deadLetters(), c.topics().deadLetters().valueSerde().deserializer(), 2);
            assertThat(dead).extracting(DeadLetter::getReason).containsExactlyInAnyOrder("WEIGHTS_HASH_MISMATCH", "WEIGHTS_MISSING");
            assertThat(generator.policyVersion()).as("bad versions are not loaded").isEqualTo(1);
            assertThat(generator.isPaused()).as("a rejected version does not lift backpressure").isTrue();
            stop.set(true);
            running.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Completion> completions = read(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(), 4 * G);
        assertThat(completions.stream().filter(x -> x.getPolicyVersion() == 0).count()).isEqualTo(2L * G);
        assertThat(completions.stream().filter(x -> x.getPolicyVersion() == 1).count()).isEqualTo(2L * G);
        // the optimiser step travels with the version it was announced with (version(v) says step 10 v)
        assertThat(completions).allSatisfy(x -> assertThat(x.getPolicyStep()).isEqualTo(x.getPolicyVersion() * 10));
    }

    @Test
    void theStepBudgetHoldsTheGeneratorToItsShareOfTheAnnouncedStepsAndClocksThePause() throws Exception {
        ClusterConfig c = cluster("budget");
        KafkaClients.ensureTopics(c, List.of(c.topicNames().policyVersions()), 1);
        produce(c, taskPrompts(6));
        GeneratorConfig base = config("gen-budget", 0, 0, 0);
        // 2 groups per learner step, one generator, window 1: lockstep, 2 groups per announced step
        GeneratorConfig budgeted = withBudget(base, new StepBudget(2, 1, 0, 1), GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicBoolean stop = new AtomicBoolean();
        try (Generator generator = new Generator(budgeted, c)) {
            assertThat(generator.pausedNanos()).as("never paused yet").isZero();
            Future<?> running = pool.submit(() -> {
                generator.run(stop);
                return null;
            });
            long deadline = System.currentTimeMillis() + 60_000;
            while (!generator.isPaused() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            long pollsAtPause = generator.pausedPolls();
            while (generator.pausedPolls() < pollsAtPause + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.groups()).as("one step of groups at step 0, then held").isEqualTo(2);
            long held = generator.pausedNanos();
            assertThat(held).as("the pause is clocked while it lasts").isPositive();

            announceVersionOneAtStepOne(c, "policy-budget-v1-", 7);
            while (generator.groups() < 4 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            while (!generator.isPaused() && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            pollsAtPause = generator.pausedPolls();
            while (generator.pausedPolls() < pollsAtPause + 3 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            assertThat(generator.policyVersion()).isEqualTo(1);
            assertThat(generator.groups()).as("step 1 adds one step of groups: 4 in all, although 2 prompts wait").isEqualTo(4);
            stop.set(true);
            running.get(60, TimeUnit.SECONDS);
            long total = generator.pausedNanos();
            assertThat(total).isGreaterThanOrEqualTo(held);
            assertThat(generator.pausedNanos()).as("the clock stops with the generator").isEqualTo(total);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void fourPromptsPerBatchSampleExactlyWhatOnePromptPerBatchSamples() throws Exception {
        List<Prompt> prompts = new ArrayList<>(taskPrompts(8));
        // a prompt that is dead-lettered takes no place in a batch and shifts nobody's seed
        prompts.add(3, Prompt.newBuilder(prompts.get(0)).setPromptId("long").setText("x".repeat(200)).build());
        Map<Integer, Map<String, Completion>> byBatchSize = new HashMap<>();
        for (int perBatch : new int[] {1, 4}) {
            ClusterConfig c = cluster("batch" + perBatch);
            produce(c, prompts);
            try (Generator generator = new Generator(config("gen-batch" + perBatch, 0, 0, 4).withPromptsPerBatch(perBatch), c)) {
                generator.run(new AtomicBoolean());
                assertThat(generator.groups()).isEqualTo(8);
                if (perBatch == 1) {
                    assertThat(generator.batches()).isEqualTo(8);
                } else {
                    assertThat(generator.batches()).as("several groups per sampling call").isLessThan(8);
                }
            }
            byBatchSize.put(perBatch, read(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(), 8 * G)
                    .stream().collect(Collectors.toMap(x -> x.getPromptId() + "/" + x.getIndex(), x -> x)));
        }
        Map<String, Completion> one = byBatchSize.get(1);
        Map<String, Completion> four = byBatchSize.get(4);
        assertThat(four.keySet()).hasSize(8 * G).isEqualTo(one.keySet());
        one.forEach((key, expected) -> {
            Completion actual = four.get(key);
            assertThat(coordinates(actual.getGroupId())).as(key).isEqualTo(coordinates(expected.getGroupId()));
            assertThat(actual.getTokenIds()).as(key).isEqualTo(expected.getTokenIds());
            assertThat(actual.getPromptTokenIds()).as(key).isEqualTo(expected.getPromptTokenIds());
            assertThat(actual.getBehaviourLogProbs()).as(key).hasSameSizeAs(expected.getBehaviourLogProbs());
            for (int t = 0; t < expected.getBehaviourLogProbs().size(); t++) {
                assertThat(actual.getBehaviourLogProbs().get(t)).as(key + " token " + t)
                        .isCloseTo(expected.getBehaviourLogProbs().get(t), org.assertj.core.data.Offset.offset(1e-4f));
            }
        });
    }

    @Test
    void batchesNeverTakeMoreGroupsThanTheStepBudgetAllows() throws Exception {
        ClusterConfig c = cluster("batchbudget");
        KafkaClients.ensureTopics(c, List.of(c.topicNames().policyVersions()), 1);
        produce(c, taskPrompts(8));
        GeneratorConfig base = config("gen-batch-budget", 0, 0, 0);
        // 3 groups per learner step, window 1: 3 groups at step 0, 6 at step 1, with batches of up to 4 prompts
        GeneratorConfig budgeted = withBudget(base, new StepBudget(3, 1, 0, 1), 4);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        AtomicBoolean stop = new AtomicBoolean();
        try (Generator generator = new Generator(budgeted, c)) {
            Future<?> running = pool.submit(() -> {
                generator.run(stop);
                return null;
            });
            long deadline = System.currentTimeMillis() + 60_000;
            awaitPausedRounds(generator, deadline);
            assertThat(generator.groups()).as("a batch of 4 would exceed the 3 groups of step 0").isEqualTo(3);

            announceVersionOneAtStepOne(c, "policy-batch-budget-v1-", 8);
            while (generator.policyVersion() < 1 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            while (generator.groups() < 6 && System.currentTimeMillis() < deadline) {
                Thread.sleep(50);
            }
            awaitPausedRounds(generator, deadline);
            assertThat(generator.groups()).as("step 1 allows 6 groups in all, although 2 prompts wait").isEqualTo(6);
            stop.set(true);
            running.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Completion> completions = read(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(), 6 * G);
        assertThat(completions.stream().filter(x -> x.getPolicyVersion() == 0).count()).isEqualTo(3L * G);
        assertThat(completions.stream().filter(x -> x.getPolicyVersion() == 1).count()).isEqualTo(3L * G);
    }

    /** A group id without its topic name (the two runs use different topics): {@code promptId@partition-offset}. */
    private static String coordinates(String groupId) {
        return groupId.replaceFirst("@.*\\.prompts-", "@");
    }

    /** Waits until the generator is paused and its loop has gone round three more times while paused. */
    private static void awaitPausedRounds(Generator generator, long deadline) throws InterruptedException {
        while (!generator.isPaused() && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        long pollsAtPause = generator.pausedPolls();
        while (generator.pausedPolls() < pollsAtPause + 3 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertThat(generator.isPaused()).isTrue();
    }

    /** {@code base} with no limits but {@code budget}, sampling up to {@code promptsPerBatch} prompts per batch. */
    private static GeneratorConfig withBudget(GeneratorConfig base, StepBudget budget, int promptsPerBatch) {
        return new GeneratorConfig(base.generatorId(), base.groupId(), G, base.sampling(), base.rewardMode(), base.initPolicyDir(),
                base.rewardModels(), 0, 0, Duration.ZERO, budget, promptsPerBatch);
    }

    /** Saves a fresh tiny policy (weights seeded by {@code seed}) under {@code name} and announces it as version 1 at step 1. */
    private void announceVersionOneAtStepOne(ClusterConfig c, String name, int seed) throws Exception {
        Path v1 = tmp.resolve(name + System.nanoTime());
        String sha1;
        try (PolicyModel m = PolicyModel.create(PolicyConfig.tiny().withSeed(seed), Tokenizer.ascii())) {
            sha1 = m.save(v1);
        }
        Topic<String, PolicyVersion> versions = c.topics().policyVersions();
        try (KafkaProducer<String, PolicyVersion> p = new KafkaProducer<>(infra.producerProps(), versions.keySerde().serializer(), versions.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(versions.name(), "1", PolicyVersion.newBuilder(version(1, v1, sha1)).setStep(1).build())).get();
        }
    }

    private static PolicyVersion version(long v, Path dir, String sha) {
        return PolicyVersion.newBuilder().setVersion(v).setStep(v * 10).setWeightsUri(dir.toUri().toString()).setSha256(sha)
                .setEstimator("GOPO").setCreatedAtMs(1).build();
    }
}
