package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar started as a container or a service unit would start it: from a directory outside the repository,
 * without the {@code ./gopo} script's {@code -Dgopo.registry.home} or {@code GOPO_REGISTRY_HOME}.
 */
class LauncherJarIT {
    @TempDir
    Path elsewhere;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void infraFindsTheRegistryFromAnyWorkingDirectory() throws Exception {
        Path jar = Path.of(System.getProperty("basedir", "."), "target", "gopo-launcher.jar").toAbsolutePath();
        assertThat(jar).as("built in the package phase").isRegularFile();
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-jar", jar.toString(), "infra", "--work-dir", elsewhere.resolve("infra").toString()))
                .directory(elsewhere.toFile()).redirectErrorStream(true);
        builder.environment().remove("GOPO_REGISTRY_HOME");
        Process process = builder.start();
        StringBuffer output = new StringBuffer();
        CountDownLatch ready = new CountDownLatch(1);
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.startsWith("registry URL:")) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            } finally {
                ready.countDown();
            }
        }, "launcher-jar-output");
        reader.start();
        try {
            assertThat(ready.await(150, TimeUnit.SECONDS)).as("infra printed its addresses or exited:%n%s", output).isTrue();
            assertThat(output.toString()).as(output.toString())
                    .doesNotContain("cannot find the Apicurio registry")
                    .containsPattern("registry URL: +http://");
        } finally {
            process.destroy(); // SIGTERM: infra's shutdown hook closes broker and registry
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(10_000);
        }
    }
}
