package dev.gopo.generator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.Completion;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.sampling.SampledCompletion;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionGroupTest {
    @Test
    void groupIdComesFromThePromptRecordSoReplaysAreDuplicates() {
        assertThat(CompletionGroup.groupId("p1", "gopo.prompts", 2, 17)).isEqualTo("p1@gopo.prompts-2-17");
        assertThat(CompletionGroup.groupId("p1", "gopo.prompts", 2, 17)).isEqualTo(CompletionGroup.groupId("p1", "gopo.prompts", 2, 17));
    }

    @Test
    void buildsOneRecordPerSampleWithTokensLogProbsVersionAndReward() {
        Tokenizer tok = Tokenizer.ascii();
        int[] a = tok.encode("ab");
        List<SampledCompletion> samples = List.of(
                new SampledCompletion(new int[] {a[0], a[1], Tokenizer.EOS}, new float[] {-0.5f, -1f, -0.25f}, true),
                new SampledCompletion(new int[] {a[1]}, new float[] {-2f}, false));
        List<Completion> out = CompletionGroup.build("g", "p", "summarise", new int[] {1, 50, 3}, samples, new double[] {0.3, -1.2}, 7, 35, 0.8,
                "gen-a", tok);
        assertThat(out).hasSize(2);
        Completion first = out.get(0);
        assertThat(first.getIndex()).isZero();
        assertThat(first.getGroupSize()).isEqualTo(2);
        assertThat(first.getTokenIds()).hasSize(3);
        assertThat(first.getBehaviourLogProbs()).containsExactly(-0.5f, -1f, -0.25f);
        assertThat(first.getText()).isEqualTo("ab");
        assertThat(first.getReward()).isEqualTo(0.3);
        assertThat(first.getPolicyVersion()).isEqualTo(7);
        assertThat(first.getPolicyStep()).isEqualTo(35);
        assertThat(first.getTemperature()).isEqualTo(0.8);
        assertThat(first.getPromptTokenIds()).containsExactly(1, 50, 3);
        assertThat(out.get(1).getIndex()).isEqualTo(1);
        assertThat(CompletionGroup.build("g", "p", "t", new int[] {1}, samples, null, 0, 0, 1.0, "x", tok).get(0).getReward()).isNull();
    }
}
