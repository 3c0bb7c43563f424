package dev.gopo.tasks;

import java.util.List;

/** Word splitting shared by the tasks' gold qualities: words are runs of non-space characters. */
final class Words {

    private Words() {}

    /** The words of {@code text} in order; empty for blank text. */
    static List<String> split(String text) {
        String trimmed = text.strip();
        return trimmed.isEmpty() ? List.of() : List.of(trimmed.split("\\s+"));
    }
}
