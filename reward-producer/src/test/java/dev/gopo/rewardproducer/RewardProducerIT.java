package dev.gopo.rewardproducer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.Reward;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.Tokenizer;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.TaskFixtures;
import dev.gopo.testing.TestInfra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The example reward producer on a real broker + registry: completions in, valid rewards out. */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class RewardProducerIT {
    @TempDir
    Path tmp;

    @Test
    void turnsCompletionsIntoValidRewardsAndDeadLettersTheRest() throws Exception {
        TestInfra infra = TestInfra.get();
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(),
                new TopicNames(TestInfra.uniquePrefix("reward-producer")));
        var completions = cluster.topics().completions();
        infra.createTopics(List.of(completions.name(), cluster.topicNames().rewards()), 2);
        String prompt = "sum: sky cat fig cat map sky dog";
        List<Integer> skyCat = IntStream.concat(IntStream.of(Tokenizer.ascii().encode("sky cat")), IntStream.of(Tokenizer.EOS)).boxed().toList();
        infra.produce(completions.name(), completions.valueSerde().serializer(),
                Map.entry("g-a", CompletionCheckTest.completion("g-a", 0, 3, prompt, "sky cat", skyCat)),
                Map.entry("g-a", CompletionCheckTest.completion("g-a", 1, 3, prompt, "dog", List.of(Tokenizer.EOS))),
                // No text: the producer decodes the token ids.
                Map.entry("g-a", CompletionCheckTest.completion("g-a", 2, 3, prompt, null, skyCat)),
                Map.entry("g-b", CompletionCheckTest.completion("g-b", 0, 2, prompt, "fig", List.of(Tokenizer.EOS))),
                Map.entry("g-b", CompletionCheckTest.completion("g-b", 1, 2, prompt, null, List.of(500))),
                Map.entry("g-c", Completion.newBuilder(CompletionCheckTest.completion("g-c", 0, 2, prompt, "x", List.of()))
                        .setTask("constrained").build()));
        infra.produceRaw(completions.name(), "g-junk", new byte[] {0, 0, 0});

        Path rm = TaskFixtures.tinyRewardModel(tmp.resolve("rm"));
        RewardProducerConfig config = new RewardProducerConfig("rp-it-" + System.nanoTime(), "rp-it", ScorerKind.MODEL,
                Map.of("summarise", rm), null, 7, Duration.ofSeconds(30));
        try (RewardProducer producer = new RewardProducer(config, cluster)) {
            producer.run(new AtomicBoolean());
            assertThat(producer.handled()).isEqualTo(7);
            assertThat(producer.rewarded()).isEqualTo(4);
            assertThat(producer.deadLetterCounts()).containsEntry(DeadLetterReason.UNDECODABLE, 1L)
                    .containsEntry(DeadLetterReason.MODEL_MISMATCH, 1L).containsEntry(DeadLetterReason.UNKNOWN_TASK, 1L);
        }

        List<ConsumerRecord<String, Reward>> rewards = infra.readRecords(cluster.topicNames().rewards(),
                cluster.topics().rewards().valueSerde().deserializer(), 4, Duration.ofSeconds(20));
        assertThat(rewards).hasSize(4);
        assertThat(rewards).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(r.value().getGroupId());
            assertThat(r.value().getReward()).isFinite();
            assertThat(r.value().getProducerId()).isEqualTo("rp-it");
            assertThat(r.value().getProducedAtMs()).isPositive();
        });
        assertThat(rewards).extracting(r -> r.key() + "/" + r.value().getIndex())
                .containsExactlyInAnyOrder("g-a/0", "g-a/1", "g-a/2", "g-b/0");
        double decoded = rewards.stream().filter(r -> r.key().equals("g-a") && r.value().getIndex() == 2).findFirst().orElseThrow().value().getReward();
        double withText = rewards.stream().filter(r -> r.key().equals("g-a") && r.value().getIndex() == 0).findFirst().orElseThrow().value().getReward();
        assertThat(decoded).as("the decoded token ids score like the same text").isCloseTo(withText, org.assertj.core.data.Offset.offset(1e-5));

        List<ConsumerRecord<String, DeadLetter>> dead = infra.readRecords(cluster.topicNames().deadLetters(),
                cluster.topics().deadLetters().valueSerde().deserializer(), 3, Duration.ofSeconds(20));
        assertThat(dead).extracting(r -> r.key() + ":" + r.value().getReason())
                .containsExactlyInAnyOrder("g-b:MODEL_MISMATCH", "g-c:UNKNOWN_TASK", "g-junk:UNDECODABLE");
        assertThat(dead).allSatisfy(r -> assertThat(r.value().getWorker()).isEqualTo("reward-producer"));

        // Offsets were committed after the rewards were acknowledged: the group is at the end of every partition.
        try (var admin = infra.admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.groupId())
                    .partitionsToOffsetAndMetadata().get();
            assertThat(committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum()).isEqualTo(7);
        }
    }
}
