package dev.gopo.testing;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/** Kafka in a container (Testcontainers), used when a Docker engine is available. */
final class ContainerBroker implements TestBroker {
    private final KafkaContainer container;

    ContainerBroker(String image) {
        container = new KafkaContainer(DockerImageName.parse(image))
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_NUM_PARTITIONS", "4");
        container.start();
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    @Override
    public String description() {
        return "Testcontainers " + container.getDockerImageName();
    }

    @Override
    public void close() {
        container.stop();
    }
}
