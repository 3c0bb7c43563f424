package dev.gopo.rewardproducer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.embedded.EmbeddedRegistry;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.policy.Tokenizer;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.serde.WireFormat;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.schemas.topic.Topics;
import dev.gopo.testing.TestInfra;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D2 of issue 10 with a real registry that goes away: a worker that must fetch a writer schema it has not cached
 * while the registry is down waits and retries, and once the registry is back it handles the record. Before the fix
 * it dead-lettered the good record as UNDECODABLE ("schema registry unreachable") and went on past it (here, with the
 * DeadLetter schema not cached either, writing the dead letter failed and the worker died).
 *
 * <p>The embedded registry keeps its schemas in memory, so the restarted one is given the same schema first and must
 * hand out the same id (checked), as a registry with persistent storage would.
 */
class RewardProducerRegistryOutageIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aRecordReadWhileTheRegistryIsDownIsHandledOnceItIsBackAndNeverDeadLettered() throws Exception {
        TestInfra infra = TestInfra.get();
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        TopicNames names = new TopicNames(TestInfra.uniquePrefix("registry-outage"));
        infra.createTopics(List.of(names.completions(), names.rewards(), names.deadLetters()), 1);
        String subject = WireFormat.valueSubject(names.completions());

        // Persistent storage, as `gopo infra --keep-data` has it: the restarted registry serves the same ids, with no window
        // in which a worker could ask for a schema id the new registry does not know yet (a 404, which is bad input).
        EmbeddedRegistry registry = EmbeddedRegistry.start(tmp.resolve("registry"), port, Duration.ofSeconds(90), true);
        int id;
        String url = registry.url();
        try {
            id = new SchemaRegistryClient(url).register(subject, Completion.getClassSchema());
            Topics writer = new Topics(names, new SchemaRegistryClient(url));
            infra.produce(names.completions(), writer.completions().valueSerde().serializer(), Map.entry("g-1",
                    CompletionCheckTest.completion("g-1", 0, 2, "sum: sky cat", "sky", List.of(40, Tokenizer.EOS))));
        } finally {
            registry.close();
        }

        // default --registry-timeout (4m): far longer than the restart below takes
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), url, names);
        RewardProducerConfig config = new RewardProducerConfig("rp-outage-" + System.nanoTime(), "rp-outage", ScorerKind.LENGTH,
                Map.of(), null, 1, Duration.ZERO);
        try (RewardProducer producer = new RewardProducer(config, cluster)) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> producer.run(new AtomicBoolean()));
            // The completion has been read: the producer is now decoding it, with no registry to ask for its schema.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (producer.handled() < 1 && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(producer.handled()).as("the completion was read").isEqualTo(1);

            EmbeddedRegistry restarted = EmbeddedRegistry.start(tmp.resolve("registry"), port, Duration.ofSeconds(90), true);
            try {
                assertThat(new SchemaRegistryClient(url).register(subject, Completion.getClassSchema()))
                        .as("the restarted registry kept the schema under its old id").isEqualTo(id);
                run.get(120, TimeUnit.SECONDS);
                assertThat(producer.deadLetterCounts()).as("nothing dead-lettered for the registry's outage").isEmpty();
                assertThat(producer.rewarded()).isEqualTo(1);
                List<ConsumerRecord<String, Reward>> rewards = infra.readRecords(names.rewards(),
                        new Topics(names, new SchemaRegistryClient(url)).rewards().valueSerde().deserializer(), 1, Duration.ofSeconds(20));
                assertThat(rewards).extracting(r -> r.key() + "/" + r.value().getIndex()).containsExactly("g-1/0");
            } finally {
                restarted.close();
            }
        }
    }
}
