package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.embedded.EmbeddedKafka;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KafkaClients#ensureTopics} returns only when the new topics' leaders serve requests: a producer that sends the
 * moment it returns is never told {@code NOT_LEADER_OR_FOLLOWER} (which, with idempotence and several requests in
 * flight, once cost {@code gopo bench-ranker} records). Here the producer may not retry, so any such answer fails a send.
 */
class EnsureTopicsIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aProducerCanWriteEveryPartitionTheMomentTheTopicsExist() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"), true, 1)) {
            ClusterConfig cluster = new ClusterConfig(kafka.bootstrapServers(), "http://127.0.0.1:1/apis/ccompat/v7", new TopicNames("t-ensure."));
            Map<String, Object> props = new HashMap<>(KafkaClients.producer(cluster, "ensure-topics-it"));
            props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
            props.put(ProducerConfig.RETRIES_CONFIG, 0);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            int partitions = 4;
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                for (int round = 0; round < 8; round++) {
                    List<String> topics = List.of("t-ensure.a-" + round, "t-ensure.b-" + round, "t-ensure.c-" + round);
                    KafkaClients.ensureTopics(cluster, topics, partitions);
                    List<Future<RecordMetadata>> sends = new ArrayList<>();
                    for (String topic : topics) {
                        for (int p = 0; p < partitions; p++) {
                            sends.add(producer.send(new ProducerRecord<>(topic, p, "k", "v")));
                        }
                    }
                    List<String> failures = new ArrayList<>();
                    for (Future<RecordMetadata> send : sends) {
                        try {
                            send.get(30, TimeUnit.SECONDS);
                        } catch (ExecutionException e) {
                            failures.add(e.getCause().toString());
                        }
                    }
                    assertThat(failures).as("round %d", round).isEmpty();
                }
            }
        }
    }
}
