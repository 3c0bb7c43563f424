package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Prompt;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
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
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the Prometheus endpoint of a running generator ({@code --metrics-port}) over HTTP, on the real broker + registry. */
@Timeout(240)
class GeneratorMetricsEndpointIT {
    private static final int G = 4;
    /** Backpressure after this many groups, so the run pauses with prompts still waiting. */
    private static final int GROUPS_PER_VERSION = 2;

    @TempDir
    Path tmp;

    private final TestInfra infra = TestInfra.get();

    /** The value of {@code name{worker="generator"}}, or NaN when the series is absent. */
    private static double value(String text, String name) {
        return PrometheusScrape.value(text, name + "{worker=\"generator\"}");
    }

    @Test
    void aRunningGeneratorServesGroupsTokensPausedTimeAndItsClientMetrics() throws Exception {
        Path policy = tmp.resolve("policy");
        try (PolicyModel m = PolicyModel.create(PolicyConfig.tiny(), Tokenizer.ascii())) {
            m.save(policy);
        }
        Map<String, Path> rewardModels = new HashMap<>();
        for (String task : TaskRegistry.names()) {
            try (RewardModel rm = RewardModel.create(RewardModelConfig.tiny())) {
                rm.save(tmp.resolve("rm-" + task));
            }
            rewardModels.put(task, tmp.resolve("rm-" + task));
        }
        ClusterConfig c = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix("gen-metrics")));
        KafkaClients.ensureTopics(c, List.of(c.topicNames().prompts()), 4);
        Topic<String, Prompt> prompts = c.topics().prompts();
        try (KafkaProducer<String, Prompt> p = new KafkaProducer<>(infra.producerProps(), prompts.keySerde().serializer(), prompts.valueSerde().serializer())) {
            for (TaskPrompt tp : TaskRegistry.all().get(0).prompts(Split.TRAIN, 5, 3)) {
                Prompt prompt = Prompt.newBuilder().setPromptId(tp.id()).setTask(tp.task()).setSplit("train").setText(tp.text()).setCreatedAtMs(1).build();
                p.send(new ProducerRecord<>(prompts.name(), prompt.getPromptId(), prompt)).get();
            }
        }
        GeneratorConfig config = new GeneratorConfig("gen-metrics", "gens", G, new SamplingConfig(1.0, 0, 1.0, 24, 5), RewardMode.INLINE,
                policy, rewardModels, GROUPS_PER_VERSION, 0, Duration.ZERO);
        int port = PrometheusScrape.freePort();
        AtomicBoolean stop = new AtomicBoolean();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(port, "generator");
             Generator generator = new Generator(config, c, endpoint)) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> generator.run(stop));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!generator.isPaused() && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(50);
            }
            assertThat(generator.isPaused()).as("backpressure after " + GROUPS_PER_VERSION + " groups").isTrue();
            long polls = generator.pausedPolls();
            while (generator.pausedPolls() < polls + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            String text = PrometheusScrape.scrape(port);
            assertThat(value(text, "gopo_generator_groups_total")).as("gopo_generator_groups_total in\n" + text).isEqualTo(GROUPS_PER_VERSION);
            List<Completion> completions = infra.readValues(c.topicNames().completions(), c.topics().completions().valueSerde().deserializer(),
                    GROUPS_PER_VERSION * G, Duration.ofSeconds(30));
            assertThat(completions).hasSize(GROUPS_PER_VERSION * G);
            long tokens = completions.stream().mapToLong(x -> x.getTokenIds().size()).sum();
            assertThat(value(text, "gopo_generator_tokens_total")).as("completion tokens published").isEqualTo(tokens);
            double paused = value(text, "gopo_generator_paused_seconds_total");
            assertThat(paused).as("paused for two polls at least").isPositive();
            assertThat(text).contains("kafka_consumer_").contains("client_id=\"gen-metrics\"").contains("client_id=\"gen-metrics-versions\"")
                    .contains("kafka_producer_");
            assertThat(value(PrometheusScrape.scrape(port), "gopo_generator_paused_seconds_total")).as("still paused: still counting").isGreaterThan(paused);

            stop.set(true);
            run.get(60, TimeUnit.SECONDS);
            long frozen = generator.pausedNanos();
            Thread.sleep(20);
            assertThat(generator.pausedNanos()).as("the consumer is closed: not paused any more").isEqualTo(frozen);
            assertThat(value(PrometheusScrape.scrape(port), "gopo_generator_paused_seconds_total")).isGreaterThan(paused).isCloseTo(frozen / 1e9, within(1e-9));
        }
    }
}
