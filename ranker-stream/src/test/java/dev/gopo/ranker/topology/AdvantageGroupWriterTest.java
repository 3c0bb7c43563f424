package dev.gopo.ranker.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.advantage.GroupAdvantages;
import dev.gopo.ranker.state.AvroBytes;
import dev.gopo.ranker.state.StoredCompletionBytes;
import dev.gopo.ranker.state.StoredPromptBytes;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.topic.Estimator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hand-written AdvantageGroup is byte for byte what the Avro serializer writes for the same group. */
class AdvantageGroupWriterTest {
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

    @Test
    void writesTheSameBytesAsTheAvroSerializer() throws Exception {
        for (int n : new int[] {0, 1, 3}) {
            AvroBytes.Writer buffer = new AvroBytes.Writer(64);
            List<Completion> cs = new ArrayList<>();
            int[] indices = new int[n];
            double[] rewards = new double[n];
            double[] ranks = new double[n];
            double[] advantages = new double[n];
            for (int k = 0; k < n; k++) {
                cs.add(Samples.completion("g-7", 2 * k, 6, null).setTokenIds(List.of(k, 1000 + k, -3)).setBehaviourLogProbs(List.of(-1f, -2f, -0.5f * k))
                        .setPolicyVersion(100L + k).setPolicyStep(7L * k).setTemperature(0.5 + k).setGeneratorId("gen-é-" + k).build());
                indices[k] = 2 * k;
                rewards[k] = 0.1 * k - 3;
                ranks[k] = n - k;
                advantages[k] = 2.0 - k;
            }
            List<StoredCompletionBytes> stored = new ArrayList<>();
            IncomingCompletion first = IncomingCompletion.scan(IncomingCompletionTest.encode(Samples.completion("g-7", 0, 6, null).build()), 0);
            for (Completion c : cs) {
                stored.add(StoredCompletionBytes.read(IncomingCompletion.scan(IncomingCompletionTest.encode(c), 0).storedCompletion(buffer, 1.5)));
            }
            LoadedGroup group = new LoadedGroup("g-7", 6, n < 3, StoredPromptBytes.read(first.storedPrompt(buffer)), indices, stored,
                    rewards, 12_345L);
            byte[] written = new AdvantageGroupWriter(registry).write("t.advantages", group, Estimator.RLOO, new GroupAdvantages(ranks, advantages), 99_999L);

            List<ScoredCompletion> scored = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                Completion c = cs.get(k);
                scored.add(new ScoredCompletion(indices[k], c.getTokenIds(), c.getBehaviourLogProbs(), c.getPolicyVersion(), c.getGeneratorId(),
                        rewards[k], ranks[k], advantages[k], c.getPolicyStep(), c.getTemperature()));
            }
            AdvantageGroup expected = new AdvantageGroup("g-7", "prompt-g-7", "summarise", "RLOO", 6, n < 3, List.of(1, 7, 9), scored, 12_345L, 99_999L);
            assertThat(written).isEqualTo(new AvroSerializer<AdvantageGroup>(registry).serialize("t.advantages", expected));
            assertThat(new AvroDeserializer<>(registry, AdvantageGroup.class).deserialize("t.advantages", written)).isEqualTo(expected);
        }
    }
}
