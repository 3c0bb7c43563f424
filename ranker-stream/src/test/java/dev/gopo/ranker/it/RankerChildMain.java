package dev.gopo.ranker.it;

import dev.gopo.ranker.RankerCommand;
import picocli.CommandLine;

/** The {@code ranker} command in a child JVM, so a test can kill it like a crashed process (SIGKILL, no clean close). */
public final class RankerChildMain {
    private RankerChildMain() {
    }

    public static void main(String[] args) {
        int code = new CommandLine(new RankerCommand()).execute(args);
        if (code != 0) {
            throw new IllegalStateException("ranker exited with code " + code);
        }
    }
}
