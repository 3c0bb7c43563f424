package dev.gopo.launcher;

import dev.gopo.avro.Prompt;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo smoke}: writes prompts through the registry-backed serializer and reads them back. */
@Command(name = "smoke", mixinStandardHelpOptions = true,
        description = "Round-trip check of a broker + registry: produce N prompts with the Avro serializer, consume and compare them.")
final class SmokeCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--records", defaultValue = "100", description = "Records to round-trip. Default: ${DEFAULT-VALUE}")
    int records;

    @Override
    public Integer call() {
        if (records < 1) {
            throw new IllegalArgumentException("--records must be at least 1, got " + records);
        }
        return run(cluster.toConfig(), records) ? 0 : 1;
    }

    /** Produces and consumes {@code n} prompts on a fresh topic; prints what it did and returns whether all came back equal. */
    static boolean run(ClusterConfig base, int n) {
        KafkaClients.requireBroker(base);
        String run = "smoke-" + UUID.randomUUID().toString().substring(0, 8);
        ClusterConfig config = new ClusterConfig(base.bootstrapServers(), base.registryUrl(), new TopicNames(base.topicNames().prefix() + run + "."), base.registryTimeout(), base.brokerTimeout());
        Topic<String, Prompt> topic = config.topics().prompts();
        KafkaClients.ensureTopics(config, List.of(topic.name()), 1);
        List<Prompt> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaProducer<String, Prompt> producer = new KafkaProducer<>(KafkaClients.producer(config, run),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (int i = 0; i < n; i++) {
                Prompt p = Prompt.newBuilder().setPromptId(run + "-" + i).setTask("smoke").setSplit("train")
                        .setText("round trip " + i).setCreatedAtMs(System.currentTimeMillis()).build();
                producer.send(new ProducerRecord<>(topic.name(), p.getPromptId(), p));
                sent.add(p);
            }
            producer.flush();
        }
        List<Prompt> received = new ArrayList<>();
        try (KafkaConsumer<String, Prompt> consumer = new KafkaConsumer<>(KafkaClients.consumer(config, run, run),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.currentTimeMillis() + 60_000;
            while (received.size() < n && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> received.add(r.value()));
            }
        }
        boolean ok = received.equals(sent);
        System.out.printf("smoke round trip on %s (registry %s): sent %d, received %d, equal=%s, %.0f ms%n",
                topic.name(), config.registryUrl(), sent.size(), received.size(), ok, (System.nanoTime() - t0) / 1e6);
        return ok;
    }
}
