package dev.gopo.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileTreesTest {
    @TempDir
    Path tmp;

    @Test
    void deletesANestedTreeAndLeavesItsSiblings() throws IOException {
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("a/b/c"));
        Files.writeString(tree.resolve("top.txt"), "x");
        Files.writeString(tree.resolve("a/b/c/deep.bin"), "y");
        Files.createDirectories(tree.resolve("empty"));
        Path sibling = Files.writeString(tmp.resolve("sibling.txt"), "keep");

        FileTrees.deleteRecursively(tree);

        assertThat(tree).doesNotExist();
        assertThat(sibling).hasContent("keep");
    }

    @Test
    void deletesAPlainFile() throws IOException {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");

        FileTrees.deleteRecursively(file);

        assertThat(file).doesNotExist();
    }

    @Test
    void missingPathIsNotAnError() throws IOException {
        Path missing = tmp.resolve("never-created");

        FileTrees.deleteRecursively(missing);

        assertThat(missing).doesNotExist();
        assertThat(tmp).exists();
    }
}
