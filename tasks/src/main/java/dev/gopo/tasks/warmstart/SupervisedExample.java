package dev.gopo.tasks.warmstart;

import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One demonstration for the supervised warm start: a prompt and the completion to imitate.
 */
public record SupervisedExample(String prompt, String completion) {

    public SupervisedExample {
        if (prompt == null || prompt.isEmpty()) {
            throw new IllegalArgumentException("prompt is empty");
        }
        if (completion == null) {
            throw new IllegalArgumentException("completion is missing (use \"\" for an empty one)");
        }
    }

    /**
     * Prompt-reference pairs of the {@link Split#TRAIN} prompts of each task, {@code perTask} per
     * task (fewer when a task has fewer train prompts), tasks interleaved in the given order.
     */
    public static List<SupervisedExample> fromTasks(List<Task> tasks, int perTask, long seed) {
        List<SupervisedExample> out = new ArrayList<>();
        for (Task task : tasks) {
            for (TaskPrompt p : task.prompts(Split.TRAIN, perTask, seed)) {
                out.add(new SupervisedExample(p.text(), task.reference(p.text())));
            }
        }
        return Collections.unmodifiableList(out);
    }
}
