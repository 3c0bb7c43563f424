package dev.gopo.tasks;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GoldQualityTest {

    private final Task summarise = TaskRegistry.byName("summarise");
    private final Task constrained = TaskRegistry.byName("constrained");

    @ParameterizedTest
    @ValueSource(strings = {"summarise", "constrained"})
    void referenceScoresOneAndRandomStringsScoreLow(String name) {
        Task task = TaskRegistry.byName(name);
        SplittableRandom random = new SplittableRandom(5);
        double randomSum = 0;
        int n = 0;
        for (TaskPrompt p : task.prompts(Split.EVAL, 30, 1)) {
            assertThat(task.goldQuality(p.text(), task.reference(p.text()))).isCloseTo(1.0, within(1e-12));
            assertThat(task.goldQuality(p.text(), "")).isZero();
            for (int i = 0; i < 10; i++) {
                randomSum += task.goldQuality(p.text(), randomString(random));
                n++;
            }
        }
        assertThat(randomSum / n).isLessThan(0.05);
    }

    @Test
    void summariseHandComputedValues() {
        String prompt = "sum: sky cat fig cat map sky dog";
        assertThat(summarise.reference(prompt)).isEqualTo("sky cat");
        // recall 1/2, precision 1, unique 1, order 1: 0.2 + 0.3 + 0.5 * 0.3
        assertThat(summarise.goldQuality(prompt, "cat")).isCloseTo(0.65, within(1e-12));
        // wrong order: 0.4 + 0.3 + 0.15 * 1
        assertThat(summarise.goldQuality(prompt, "cat sky")).isCloseTo(0.85, within(1e-12));
        // an extra once-only word: precision 2/3
        assertThat(summarise.goldQuality(prompt, "sky cat dog")).isCloseTo(0.9, within(1e-12));
        // a repeat: precision 1, unique 2/3
        assertThat(summarise.goldQuality(prompt, "sky cat sky")).isCloseTo(0.95, within(1e-12));
        assertThat(summarise.goldQuality(prompt, "fig map dog")).isZero();
    }

    @Test
    void constrainedHandComputedValues() {
        String prompt = "list 3 words: start b, max 4 letters";
        assertThat(constrained.reference(prompt)).isEqualTo("bell bird boat");
        // right letter, one too few: 2 valid of N = 3
        assertThat(constrained.goldQuality(prompt, "bell bird")).isCloseTo(2.0 / 3, within(1e-12));
        // real words, right count and length, wrong letter: nothing valid
        assertThat(constrained.goldQuality(prompt, "cat dog hat")).isZero();
        // a repeat and a word too long (bottle): 1 valid of 3
        assertThat(constrained.goldQuality(prompt, "bell bell bottle")).isCloseTo(1.0 / 3, within(1e-12));
        // one word too many, and it is not a lexicon word: 3 valid of 4 words
        assertThat(constrained.goldQuality(prompt, "bell bird boat bean")).isCloseTo(0.75, within(1e-12));
        assertThat(constrained.goldQuality(prompt, "bxq bzz bvv")).isZero();
    }

    @Test
    void foreignPromptsAreRejectedWithTheExpectedForm() {
        assertThatThrownBy(() -> summarise.goldQuality("list 3 words: start b, max 4 letters", "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with 'sum: '");
        assertThatThrownBy(() -> constrained.reference("list 9 words: start b, max 4 letters"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("supported are N in 2..5");
    }

    @Property(tries = 300)
    void goldQualityIsAlwaysInTheUnitInterval(@ForAll @IntRange(min = 0, max = 100) int promptIndex,
                                              @ForAll @StringLength(max = 40) String completion) {
        for (Task task : TaskRegistry.all()) {
            List<TaskPrompt> prompts = task.prompts(Split.TRAIN, 101, 9);
            String prompt = prompts.get(promptIndex % prompts.size()).text();
            assertThat(task.goldQuality(prompt, completion)).isBetween(0.0, 1.0);
            assertThat(task.goldQuality(prompt, task.reference(prompt) + " " + completion)).isBetween(0.0, 1.0);
        }
    }

    private static String randomString(SplittableRandom random) {
        int length = 1 + random.nextInt(30);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append((char) (32 + random.nextInt(95)));
        }
        return sb.toString();
    }
}
