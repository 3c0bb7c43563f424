package dev.gopo.tasks;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskRegistryTest {

    @Test
    void findsTasksByNameIgnoringCaseAndSpaces() {
        assertThat(TaskRegistry.byName(" Summarise ").name()).isEqualTo("summarise");
        assertThat(TaskRegistry.names()).containsExactly("summarise", "constrained");
    }

    @Test
    void unknownNameListsTheKnownTasks() {
        assertThatThrownBy(() -> TaskRegistry.byName("translate"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown task 'translate': known tasks are [summarise, constrained]");
    }

    @Test
    void duplicateNamesAreRejected() {
        assertThatThrownBy(() -> TaskRegistry.byNames(List.of("summarise", "SUMMARISE")))
                .hasMessageContaining("listed twice");
    }
}
