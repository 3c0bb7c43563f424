package dev.gopo.testing;

/** A real Kafka broker for integration tests: a Testcontainers container or the in-process KRaft broker. */
interface TestBroker extends AutoCloseable {
    String bootstrapServers();

    String description();
}
