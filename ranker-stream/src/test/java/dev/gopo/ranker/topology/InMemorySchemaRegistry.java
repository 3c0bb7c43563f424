package dev.gopo.ranker.topology;

import dev.gopo.schemas.registry.CompatibilityLevel;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.registry.SchemaRegistryException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A schema registry in memory, answering as the Confluent REST API does: one global id per distinct schema, shared
 * by every subject it is registered under; ids from 1; a subject's compatibility level (BACKWARD when unset) checked
 * against its latest version on registration, refused with HTTP 409; unknown ids and subjects answered with 404 and
 * the Confluent error codes. It lets {@code TopologyTestDriver} tests run the real Avro serdes without a registry
 * JVM, as Kafka Streams' tests use {@code mock://} registries; the integration tests keep the real registry.
 */
final class InMemorySchemaRegistry implements SchemaRegistry {
    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private final Map<String, List<Schema>> versions = new HashMap<>();
    private final Map<String, CompatibilityLevel> levels = new HashMap<>();

    @Override
    public String baseUrl() {
        return "in-memory";
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Schema> subjectVersions = versions.computeIfAbsent(subject, s -> new ArrayList<>());
        if (!subjectVersions.contains(schema)) {
            if (!compatible(subject, schema)) {
                throw new SchemaRegistryException("in-memory registry refused to register " + schema.getFullName() + " under subject '"
                        + subject + "': incompatible with its latest version under " + level(subject), 409, 409, null);
            }
            subjectVersions.add(schema);
        }
        return ids.computeIfAbsent(schema, s -> {
            int id = ids.size() + 1;
            schemas.put(id, s);
            return id;
        });
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException("in-memory registry has no schema with id " + id, 404, 40403, null);
        }
        return schema;
    }

    @Override
    public synchronized Schema getLatest(String subject) {
        List<Schema> subjectVersions = versions.get(subject);
        if (subjectVersions == null || subjectVersions.isEmpty()) {
            throw new SchemaRegistryException("in-memory registry has no subject '" + subject + "'", 404, 40401, null);
        }
        return subjectVersions.get(subjectVersions.size() - 1);
    }

    @Override
    public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
        levels.put(subject, level);
    }

    @Override
    public synchronized CompatibilityLevel getSubjectCompatibility(String subject) {
        return levels.get(subject);
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        return compatible(subject, schema);
    }

    private CompatibilityLevel level(String subject) {
        return levels.getOrDefault(subject, CompatibilityLevel.BACKWARD);
    }

    /** Against the latest version only, so the transitive levels are checked as their plain forms. */
    private boolean compatible(String subject, Schema schema) {
        List<Schema> subjectVersions = versions.get(subject);
        if (subjectVersions == null || subjectVersions.isEmpty()) {
            return true;
        }
        Schema latest = subjectVersions.get(subjectVersions.size() - 1);
        boolean backward = reads(schema, latest);
        boolean forward = reads(latest, schema);
        return switch (level(subject)) {
            case NONE -> true;
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
        };
    }

    private static boolean reads(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
