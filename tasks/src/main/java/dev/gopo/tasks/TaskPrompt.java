package dev.gopo.tasks;

import java.util.Locale;

/**
 * One prompt of a task.
 *
 * @param id    stable identifier: {@code <task>-<16 hex digits of the text's hash>}; the same text
 *              always has the same id, so it can serve as the prompt id on the topics
 * @param task  the task's name (see {@link TaskRegistry})
 * @param split the split the text belongs to
 * @param text  the prompt text, printable ASCII, at most {@link Task#MAX_PROMPT_CHARS} characters
 */
public record TaskPrompt(String id, String task, Split split, String text) {

    public TaskPrompt {
        if (task == null || task.isBlank()) {
            throw new IllegalArgumentException("task name is missing");
        }
        if (text == null || text.isEmpty()) {
            throw new IllegalArgumentException("prompt text is empty");
        }
        if (split == null) {
            throw new IllegalArgumentException("split is missing");
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id is missing: use TaskPrompt.of(task, text)");
        }
    }

    /** A prompt of {@code task} with its split and id derived from the text. */
    public static TaskPrompt of(String task, String text) {
        String id = task + "-" + String.format(Locale.ROOT, "%016x", PromptSplit.hash(text));
        return new TaskPrompt(id, task, PromptSplit.of(text), text);
    }
}
