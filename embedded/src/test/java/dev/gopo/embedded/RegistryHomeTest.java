package dev.gopo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RegistryHomeTest {
    @TempDir
    Path tmp;

    @Test
    void unpacksTheDistributionZipOnceIntoTheCache() throws IOException {
        Path zip = zip(tmp.resolve("dist.zip"), RegistryHome.RUNNER, "lib/a.jar");
        Path target = tmp.resolve("cache/apicurio");

        assertThat(RegistryHome.unpackOnce(zip, target)).isEqualTo(target);
        assertThat(target.resolve(RegistryHome.RUNNER)).hasContent(RegistryHome.RUNNER);
        assertThat(target.resolve("lib/a.jar")).exists();
        // no staging directory left behind
        try (var siblings = Files.list(target.getParent())) {
            assertThat(siblings).containsExactly(target);
        }
        // a second start reuses it, even when the zip is gone
        Files.delete(zip);
        assertThat(RegistryHome.unpackOnce(zip, target)).isEqualTo(target);
    }

    @Test
    void aZipWithoutTheRunnerIsAClearError() throws IOException {
        Path zip = zip(tmp.resolve("other.zip"), "something-else.jar");
        assertThatThrownBy(() -> RegistryHome.unpackOnce(zip, tmp.resolve("cache/apicurio")))
                .hasMessageContaining("does not hold " + RegistryHome.RUNNER);
        assertThat(tmp.resolve("cache/apicurio")).doesNotExist();
    }

    private static Path zip(Path zip, String... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out)) {
            for (String name : entries) {
                z.putNextEntry(new ZipEntry(name));
                z.write(name.getBytes(StandardCharsets.UTF_8));
                z.closeEntry();
            }
        }
        return zip;
    }
}
