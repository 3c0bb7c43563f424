package dev.gopo.schemas.topic;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.Prompt;
import dev.gopo.avro.Reward;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.serde.AvroSerdes;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The one place that says which record type travels on which topic. Keys are UTF-8 strings
 * (group id, prompt id, version); values are Avro in the Confluent wire format.
 */
public final class Topics {
    private final TopicNames names;
    private final SchemaRegistry registry;

    public Topics(TopicNames names, SchemaRegistry registry) {
        this.names = names;
        this.registry = registry;
    }

    public TopicNames names() {
        return names;
    }

    public SchemaRegistry registry() {
        return registry;
    }

    public Topic<String, Prompt> prompts() {
        return topic(names.prompts(), Prompt.class);
    }

    public Topic<String, Completion> completions() {
        return topic(names.completions(), Completion.class);
    }

    public Topic<String, Reward> rewards() {
        return topic(names.rewards(), Reward.class);
    }

    public Topic<String, AdvantageGroup> advantages() {
        return advantages(null);
    }

    public Topic<String, AdvantageGroup> advantages(String estimatorSuffix) {
        return topic(names.advantages(estimatorSuffix), AdvantageGroup.class);
    }

    public Topic<String, PolicyVersion> policyVersions() {
        return topic(names.policyVersions(), PolicyVersion.class);
    }

    public Topic<String, EvaluationResult> evalResults() {
        return topic(names.evalResults(), EvaluationResult.class);
    }

    public Topic<String, TrainingMetrics> metrics() {
        return topic(names.metrics(), TrainingMetrics.class);
    }

    public Topic<String, DeadLetter> deadLetters() {
        return topic(names.deadLetters(), DeadLetter.class);
    }

    private <V extends org.apache.avro.specific.SpecificRecord> Topic<String, V> topic(String name, Class<V> type) {
        Serde<V> value = AvroSerdes.value(registry, type);
        return new Topic<>(name, Serdes.String(), value);
    }
}
