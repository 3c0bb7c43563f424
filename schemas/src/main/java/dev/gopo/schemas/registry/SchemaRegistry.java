package dev.gopo.schemas.registry;

import org.apache.avro.Schema;

/**
 * The operations of the Confluent Schema Registry REST API (v7) that the serdes and workers use. Workers get the
 * HTTP implementation, {@link SchemaRegistryClient}; a topology that takes a {@code SchemaRegistry} can be unit
 * tested in a {@code TopologyTestDriver} with an in-memory one, as Kafka Streams' own tests use {@code mock://}
 * registries, while integration tests keep the real registry.
 *
 * <p>Implementations are thread-safe and report failures as {@link SchemaRegistryException}s carrying the HTTP
 * status and Confluent error code the REST API would answer with.
 */
public interface SchemaRegistry {
    /** Where the registry lives, for messages: a URL, or a name for an in-memory registry. */
    String baseUrl();

    /**
     * Registers {@code schema} under {@code subject} (or finds its existing id) and returns the global schema id.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isIncompatible()} when the schema breaks the
     *     subject's compatibility level
     */
    int register(String subject, Schema schema);

    /** Writer schema for a global id, with schema references resolved. */
    Schema getById(int id);

    /** Latest schema registered under a subject, with references resolved. */
    Schema getLatest(String subject);

    /** Sets the subject's compatibility level. */
    void setCompatibility(String subject, CompatibilityLevel level);

    /** The subject's own compatibility level, or null when it has none (it then follows the global one). */
    CompatibilityLevel getSubjectCompatibility(String subject);

    /** Whether {@code schema} is compatible with the subject's latest version under its level, without registering it. */
    boolean isCompatible(String subject, Schema schema);
}
