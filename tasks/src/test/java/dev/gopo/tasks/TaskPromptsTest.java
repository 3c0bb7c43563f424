package dev.gopo.tasks;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TaskPromptsTest {

    @ParameterizedTest
    @ValueSource(strings = {"summarise", "constrained"})
    void promptsAreDeterministicInTheSeed(String name) {
        Task task = TaskRegistry.byName(name);
        assertThat(task.prompts(Split.TRAIN, 50, 7)).isEqualTo(task.prompts(Split.TRAIN, 50, 7));
        assertThat(task.prompts(Split.EVAL, 20, 7)).isEqualTo(task.prompts(Split.EVAL, 20, 7));
        assertThat(task.prompts(Split.TRAIN, 50, 7)).isNotEqualTo(task.prompts(Split.TRAIN, 50, 8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"summarise", "constrained"})
    void trainAndEvalNeverOverlapWhateverTheSeeds(String name) {
        Task task = TaskRegistry.byName(name);
        Set<String> train = new HashSet<>();
        Set<String> eval = new HashSet<>();
        for (long seed = 0; seed < 5; seed++) {
            task.prompts(Split.TRAIN, 300, seed).forEach(p -> train.add(p.text()));
            task.prompts(Split.EVAL, 100, seed).forEach(p -> eval.add(p.text()));
        }
        assertThat(eval).isNotEmpty();
        assertThat(train).doesNotContainAnyElementsOf(eval);
        task.prompts(Split.EVAL, 100, 0).forEach(p -> assertThat(p.split()).isEqualTo(Split.EVAL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"summarise", "constrained"})
    void promptsAndReferencesFitThePolicyContext(String name) {
        Task task = TaskRegistry.byName(name);
        for (Split split : Split.values()) {
            List<TaskPrompt> prompts = task.prompts(split, 1000, 3);
            assertThat(new HashSet<>(prompts)).hasSameSizeAs(prompts);
            for (TaskPrompt p : prompts) {
                assertThat(p.task()).isEqualTo(name);
                assertThat(p.id()).startsWith(name + "-");
                assertThat(p.text()).hasSizeLessThanOrEqualTo(Task.MAX_PROMPT_CHARS).matches("[ -~]+");
                String reference = task.reference(p.text());
                assertThat(reference).hasSizeLessThanOrEqualTo(Task.MAX_COMPLETION_CHARS).matches("[a-z ]+");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"summarise", "constrained"})
    void promptIdsAreStableAndUnique(String name) {
        Task task = TaskRegistry.byName(name);
        List<TaskPrompt> prompts = task.prompts(Split.TRAIN, 200, 1);
        assertThat(prompts.stream().map(TaskPrompt::id).distinct().count()).isEqualTo(prompts.size());
        TaskPrompt first = prompts.get(0);
        assertThat(TaskPrompt.of(name, first.text())).isEqualTo(first);
    }

    @org.junit.jupiter.api.Test
    void constrainedHasAFinitePromptSpaceAndSaysSo() {
        Task task = TaskRegistry.byName("constrained");
        int train = task.promptSpaceSize(Split.TRAIN);
        int eval = task.promptSpaceSize(Split.EVAL);
        // 4 counts x 15 initials x 3 length limits.
        assertThat(train + eval).isEqualTo(180);
        assertThat(eval).isBetween(20, 60);
        assertThat(task.prompts(Split.TRAIN, 10_000, 1)).hasSize(train);
    }
}
