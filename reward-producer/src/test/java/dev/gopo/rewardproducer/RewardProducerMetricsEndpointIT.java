package dev.gopo.rewardproducer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.policy.Tokenizer;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.TaskFixtures;
import dev.gopo.testing.TestInfra;
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the Prometheus endpoint of a running reward producer ({@code --metrics-port}) over HTTP, on the real broker + registry. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RewardProducerMetricsEndpointIT {
    @TempDir
    Path tmp;

    /** The value of {@code name{worker="reward-producer"}}, or NaN when the series is absent. */
    private static double value(String text, String name) {
        return PrometheusScrape.value(text, name + "{worker=\"reward-producer\"}");
    }

    @Test
    void aRunningRewardProducerServesItsCountsAndClientMetrics() throws Exception {
        TestInfra infra = TestInfra.get();
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(),
                new TopicNames(TestInfra.uniquePrefix("rp-metrics")));
        var completions = cluster.topics().completions();
        infra.createTopics(List.of(completions.name(), cluster.topicNames().rewards()), 2);
        String prompt = "sum: sky cat fig cat map sky dog";
        List<Integer> skyCat = IntStream.concat(IntStream.of(Tokenizer.ascii().encode("sky cat")), IntStream.of(Tokenizer.EOS)).boxed().toList();
        infra.produce(completions.name(), completions.valueSerde().serializer(),
                Map.entry("g-a", CompletionCheckTest.completion("g-a", 0, 2, prompt, "sky cat", skyCat)),
                Map.entry("g-a", CompletionCheckTest.completion("g-a", 1, 2, prompt, "dog", List.of(Tokenizer.EOS))));
        infra.produceRaw(completions.name(), "g-junk", new byte[] {0, 0, 0});

        int port = PrometheusScrape.freePort();
        Path rm = TaskFixtures.tinyRewardModel(tmp.resolve("rm"));
        // No completion limit: the producer keeps running, so its client metrics are still bound when scraped.
        RewardProducerConfig config = new RewardProducerConfig("rp-metrics-" + System.nanoTime(), "rp-metrics", ScorerKind.MODEL,
                Map.of("summarise", rm), null, 0, Duration.ZERO);
        AtomicBoolean stop = new AtomicBoolean();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(port, "reward-producer");
             RewardProducer producer = new RewardProducer(config, cluster, endpoint)) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> producer.run(stop));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while ((producer.handled() < 3 || producer.rewarded() < 2) && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(50);
            }
            String text = PrometheusScrape.scrape(port);
            assertThat(value(text, "gopo_reward_producer_completions_total")).as("completions_total in\n" + text).isEqualTo(3.0);
            assertThat(value(text, "gopo_reward_producer_rewards_total")).as("rewards_total").isEqualTo(2.0);
            assertThat(text).contains("kafka_consumer_").contains("kafka_producer_");
            stop.set(true);
            run.get(60, TimeUnit.SECONDS);
        }
    }
}
