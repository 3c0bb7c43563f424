package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.topic.TopicNames;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class TopicNamesTest {
    @Test
    void prefixesEveryTopicAndNamesEstimatorTopics() {
        TopicNames names = new TopicNames("x.");
        assertThat(names.all()).allMatch(n -> n.startsWith("x.")).hasSize(8).doesNotHaveDuplicates();
        assertThat(names.advantages()).isEqualTo("x.advantages");
        assertThat(names.advantages("grpo")).isEqualTo("x.advantages.grpo");
    }

    @Test
    void illegalPrefixIsRejectedWithAFix() {
        assertThatThrownBy(() -> new TopicNames("bad prefix/")).hasMessageContaining("letters, digits");
    }

    @Test
    void badRegistryUrlIsRejected() {
        assertThatThrownBy(() -> new SchemaRegistryClient("localhost:8081")).hasMessageContaining("http://");
    }

    @Test
    void everySchemaAndFieldHasADoc() throws Exception {
        for (Class<?> type : new Class<?>[] {dev.gopo.avro.Prompt.class, dev.gopo.avro.Completion.class, dev.gopo.avro.Reward.class,
                dev.gopo.avro.AdvantageGroup.class, dev.gopo.avro.ScoredCompletion.class, dev.gopo.avro.PolicyVersion.class,
                dev.gopo.avro.EvaluationResult.class, dev.gopo.avro.TrainingMetrics.class, dev.gopo.avro.DeadLetter.class}) {
            Schema schema = (Schema) type.getField("SCHEMA$").get(null);
            assertThat(schema.getDoc()).as(schema.getFullName()).isNotBlank();
            schema.getFields().forEach(f -> assertThat(f.doc()).as(schema.getFullName() + "." + f.name()).isNotBlank());
        }
    }
}
