package dev.gopo.ranker.topology;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.ranker.advantage.GroupAdvantages;
import dev.gopo.ranker.state.AvroBytes;
import dev.gopo.ranker.state.StoredCompletionBytes;
import dev.gopo.ranker.state.StoredPromptBytes;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.registry.SchemaRegistryException;
import dev.gopo.schemas.serde.WireFormat;
import dev.gopo.schemas.topic.Estimator;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Writes an {@link AdvantageGroup} in the Confluent wire format straight from the stored byte ranges:
 * the prompt and each completion's token ids, log-probs, policy version, generator id, policy step and
 * temperature are copied, only the group's scalars and each completion's index, reward, rank and
 * advantage are encoded. The bytes decode to the same record {@code AvroSerializer} would have written
 * (see {@code AdvantageGroupWriterTest}); the schema is registered under {@code <topic>-value} on first
 * use, as the serializer does.
 *
 * <pre>
 *   AdvantageGroup   = groupId promptId task estimator groupSize partial promptTokenIds completions lastCompletionAtMs emittedAtMs
 *   ScoredCompletion = index tokenIds behaviourLogProbs policyVersion generatorId reward rank advantage policyStep temperature
 * </pre>
 *
 * Not thread-safe: one per processor instance.
 */
final class AdvantageGroupWriter {
    private final SchemaRegistry registry;
    private final Map<String, Integer> schemaIds = new HashMap<>();
    private final AvroBytes.Writer out = new AvroBytes.Writer(8 * 1024);

    AdvantageGroupWriter(SchemaRegistry registry) {
        this.registry = registry;
    }

    byte[] write(String topic, LoadedGroup g, Estimator estimator, GroupAdvantages advantages, long emittedAtMs) {
        StoredPromptBytes prompt = g.prompt();
        out.reset();
        out.write(WireFormat.MAGIC_BYTE);
        out.write(ByteBuffer.allocate(4).putInt(schemaId(topic)).array(), 0, 4);
        out.writeString(g.groupId());
        out.writeRange(prompt.bytes(), prompt.idAndTaskFrom(), prompt.idAndTaskTo());
        out.writeString(estimator.name());
        out.writeLong(g.groupSize());
        out.writeBoolean(g.partial());
        out.writeRange(prompt.bytes(), prompt.tokensFrom(), prompt.tokensTo());
        int n = g.indices().length;
        if (n > 0) {
            out.writeLong(n);
            for (int k = 0; k < n; k++) {
                StoredCompletionBytes c = g.completions().get(k);
                out.writeLong(g.indices()[k]);
                out.writeRange(c.bytes(), c.payloadFrom(), c.payloadTo());
                out.writeDouble(g.rewards()[k]).writeDouble(advantages.ranks()[k]).writeDouble(advantages.advantages()[k]);
                out.writeRange(c.bytes(), c.tailFrom(), c.tailTo());
            }
        }
        out.writeLong(0);
        out.writeLong(g.lastEventMs());
        out.writeLong(emittedAtMs);
        return out.toByteArray();
    }

    private int schemaId(String topic) {
        Integer id = schemaIds.get(topic);
        if (id == null) {
            try {
                id = registry.register(WireFormat.valueSubject(topic), AdvantageGroup.getClassSchema());
            } catch (SchemaRegistryException e) {
                throw new SerializationException("cannot write " + AdvantageGroup.getClassSchema().getFullName() + " to topic '" + topic + "': " + e.getMessage(), e);
            }
            schemaIds.put(topic, id);
        }
        return id;
    }
}
