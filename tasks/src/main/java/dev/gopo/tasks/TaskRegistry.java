package dev.gopo.tasks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The built-in tasks by name. Tasks are stateless, so one shared instance of each is enough. */
public final class TaskRegistry {

    private static final Map<String, Task> TASKS = build();

    private TaskRegistry() {}

    /**
     * The task called {@code name} (case-insensitive, surrounding spaces ignored).
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Task byName(String name) {
        String key = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
        Task task = TASKS.get(key);
        if (task == null) {
            throw new IllegalArgumentException("unknown task '" + name + "': known tasks are " + names());
        }
        return task;
    }

    /** Tasks for a list of names, in the given order, each name at most once. */
    public static List<Task> byNames(List<String> names) {
        List<Task> out = new ArrayList<>();
        for (String n : names) {
            Task t = byName(n);
            if (out.contains(t)) {
                throw new IllegalArgumentException("task '" + t.name() + "' is listed twice: list each task once");
            }
            out.add(t);
        }
        return Collections.unmodifiableList(out);
    }

    /** Every built-in task, in a fixed order. */
    public static List<Task> all() {
        return List.copyOf(TASKS.values());
    }

    /** Names of the built-in tasks, in a fixed order. */
    public static List<String> names() {
        return List.copyOf(TASKS.keySet());
    }

    private static Map<String, Task> build() {
        Map<String, Task> map = new LinkedHashMap<>();
        for (Task t : List.of(new SummariseTask(), new ConstrainedTask())) {
            map.put(t.name(), t);
        }
        return Collections.unmodifiableMap(map);
    }
}
