package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.embedded.EmbeddedKafka;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D6 of issue 10: a running worker whose broker goes away says so (BrokerWatch) and, after {@code --broker-timeout},
 * stops with a message naming the broker and since when. Before, its consumer polled on forever with only client
 * warnings in the log (this test then timed out waiting for the worker to end).
 */
class WorkerBrokerTimeoutIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aWorkerWhoseBrokerStaysAwayStopsWithAClearMessage() throws Exception {
        EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), true, 1);
        String bootstrap = kafka.bootstrapServers();
        ClusterConfig cluster = new ClusterConfig(bootstrap, "http://127.0.0.1:1/apis/ccompat/v7", new TopicNames("t-broker-timeout."))
                .withTimeouts(ClusterOptions.DEFAULT_REGISTRY_TIMEOUT, Duration.ofSeconds(4));
        AtomicLong polls = new AtomicLong();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
            try {
                return WorkerProcess.run("test-worker", cluster, c -> new PollingWorker() {
                    @Override
                    public void run(AtomicBoolean stop) {
                        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaClients.consumer(c, "g-timeout", "c-timeout"),
                                new StringDeserializer(), new ByteArrayDeserializer())) {
                            consumer.subscribe(List.of("t-broker-timeout.in"));
                            while (!stop.get()) {
                                consumer.poll(Duration.ofMillis(200));
                                polls.incrementAndGet();
                            }
                        }
                    }

                    @Override
                    public void close() {
                    }
                });
            } catch (Exception e) {
                throw new CompletionException(e);
            }
        });
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (polls.get() < 3 && !run.isDone() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(polls.get()).as("the worker is running").isGreaterThanOrEqualTo(3);
        } finally {
            kafka.close();
        }

        ExecutionException failed = null;
        try {
            run.get(90, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            failed = e;
        }
        assertThat(failed).as("the worker stopped with an error").isNotNull();
        Throwable root = failed.getCause();
        while (root.getCause() != null) {
            root = root.getCause();
        }
        assertThat(root.getMessage()).contains("Kafka broker unreachable at " + bootstrap + " since")
                .contains("longer than --broker-timeout 4s");
    }
}
