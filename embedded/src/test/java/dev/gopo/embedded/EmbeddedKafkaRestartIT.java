package dev.gopo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D3 of issue 10: the embedded broker stopped and started again on its kept data directory and the same port keeps
 * its cluster id, its records and its committed offsets, so workers reconnect to the same address. Before, the second
 * start failed with {@code Failed to format node OptionalInt[0]} and the port was random on every start.
 */
class EmbeddedKafkaRestartIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void restartsOnKeptDataAndTheSamePortWithEverythingStillThere() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Path dir = tmp.resolve("kafka");
        String clusterId;
        TopicPartition tp = new TopicPartition("kept", 0);
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir, false, 1, port)) {
            assertThat(kafka.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            clusterId = kafka.clusterId();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    kafka.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 3; i++) {
                    producer.send(new ProducerRecord<>("kept", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
                }
            }
            try (KafkaConsumer<String, String> consumer = consumer(kafka.bootstrapServers())) {
                consumer.assign(List.of(tp));
                consumer.commitSync(Map.of(tp, new OffsetAndMetadata(2)));
            }
        }

        try (EmbeddedKafka again = EmbeddedKafka.start(dir, true, 1, port)) {
            assertThat(again.bootstrapServers()).isEqualTo("127.0.0.1:" + port);
            assertThat(again.clusterId()).isEqualTo(clusterId);
            try (KafkaConsumer<String, String> consumer = consumer(again.bootstrapServers())) {
                assertThat(consumer.committed(java.util.Set.of(tp), Duration.ofSeconds(30)).get(tp).offset())
                        .as("the committed offset survived").isEqualTo(2);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (values.size() < 3 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        values.add(r.value());
                    }
                }
                assertThat(values).containsExactly("v0", "v1", "v2");
            }
        }
        assertThat(dir).as("deleteOnClose removes the data of the second run").doesNotExist();
    }

    private static KafkaConsumer<String, String> consumer(String bootstrap) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.GROUP_ID_CONFIG, "restart-it",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
    }
}
