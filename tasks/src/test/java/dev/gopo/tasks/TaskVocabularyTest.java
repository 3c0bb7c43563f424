package dev.gopo.tasks;

import dev.gopo.policy.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class TaskVocabularyTest {

    private final Tokenizer tokenizer = TaskVocabulary.tokenizer();

    @Test
    void everyPromptAndReferenceEncodesWithoutUnknownWordsAndFitsTheContext() {
        int unknown = tokenizer.encode(Tokenizer.UNKNOWN_WORD)[0];
        for (Task task : TaskRegistry.all()) {
            for (Split split : Split.values()) {
                for (TaskPrompt p : task.prompts(split, 300, 7)) {
                    int[] prompt = tokenizer.encodePrompt(p.text());
                    int[] reference = tokenizer.encode(task.reference(p.text()));
                    assertThat(Arrays.stream(prompt).noneMatch(id -> id == unknown)).as(p.text()).isTrue();
                    assertThat(Arrays.stream(reference).noneMatch(id -> id == unknown)).as(p.text()).isTrue();
                    assertThat(reference.length).isLessThanOrEqualTo(Task.MAX_COMPLETION_WORDS);
                    assertThat(prompt.length + TaskVocabulary.MAX_COMPLETION_TOKENS).isLessThanOrEqualTo(TaskVocabulary.CONTEXT);
                    assertThat(tokenizer.decode(reference)).isEqualTo(task.reference(p.text()));
                }
            }
        }
    }

    @Test
    void theVocabularyHoldsTheLexiconOnceAndIsStable() {
        assertThat(TaskVocabulary.words()).containsAll(Lexicon.words()).doesNotHaveDuplicates();
        assertThat(TaskVocabulary.words().subList(0, Lexicon.words().size())).isEqualTo(Lexicon.words());
        assertThat(tokenizer.vocabSize()).isEqualTo(5 + TaskVocabulary.words().size());
        assertThat(ModelSize.SMALL.policyConfig(1).vocabSize()).isEqualTo(tokenizer.vocabSize());
    }
}
