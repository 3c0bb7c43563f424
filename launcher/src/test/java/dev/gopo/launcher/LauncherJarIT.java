package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
        try (JarProcess infra = JarProcess.start(elsewhere, "registry URL:", "-Xmx512m", "infra", "--work-dir",
                elsewhere.resolve("infra").toString())) {
            assertThat(infra.awaitReady(150)).as("infra printed its addresses or exited:%n%s", infra.output()).isTrue();
            assertThat(infra.output()).as(infra.output())
                    .doesNotContain("cannot find the Apicurio registry")
                    .containsPattern("registry URL: +http://");
        }
    }

    /** The smallest {@code gopo run} its options allow: tiny models, a few preparation steps, two learner steps, one eval prompt. */
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void runTrainsAndEvaluatesFromAnyWorkingDirectory() throws Exception {
        Path workDir = elsewhere.resolve("run");
        Path cacheDir = elsewhere.resolve("cache");
        try (JarProcess run = JarProcess.start(elsewhere, null, "-Xmx1536m", "run", "--model-size", "tiny", "--sft-steps", "10",
                "--rm-steps", "10", "--steps", "2", "--groups-per-step", "2", "--group-size", "4", "--checkpoint-every", "2",
                "--estimators", "GOPO", "--eval-prompts", "1", "--samples-per-prompt", "1", "--eval-every", "1",
                "--work-dir", workDir.toString(), "--cache-dir", cacheDir.toString())) {
            Integer exitCode = run.awaitExit(180);

            assertThat(exitCode).as("gopo run exited:%n%s", run.output()).isEqualTo(0);
            assertThat(run.output()).as(run.output()).doesNotContain("cannot find the Apicurio registry");
            // Versions 0 (the reference) and 1 (step 2), each for both built-in tasks.
            assertThat(Files.readAllLines(workDir.resolve("eval.csv"))).as(run.output()).hasSize(1 + 2 * 2);
            try (Stream<Path> written = Files.list(elsewhere)) {
                assertThat(written.map(p -> p.getFileName().toString())).as("nothing written beside --work-dir and --cache-dir")
                        .containsExactlyInAnyOrder("run", "cache");
            }
        }
    }

    /** The launcher jar as a child JVM in a working directory, its output collected line by line; closing it stops it. */
    private static final class JarProcess implements AutoCloseable {
        private final Process process;
        private final String readyPrefix;
        private final CountDownLatch ready = new CountDownLatch(1);
        private final StringBuffer output = new StringBuffer();
        private final Thread reader;

        private JarProcess(Process process, String readyPrefix) {
            this.process = process;
            this.readyPrefix = readyPrefix;
            this.reader = new Thread(this::read, "launcher-jar-output");
        }

        /** @param readyPrefix the start of the line that says the command is up (see {@link #awaitReady}), or null */
        static JarProcess start(Path workingDir, String readyPrefix, String maxHeap, String... args) throws IOException {
            Path jar = Path.of(System.getProperty("basedir", "."), "target", "gopo-launcher.jar").toAbsolutePath();
            assertThat(jar).as("built in the package phase").isRegularFile();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    maxHeap, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
            builder.environment().remove("GOPO_REGISTRY_HOME");
            JarProcess started = new JarProcess(builder.start(), readyPrefix);
            started.reader.start();
            return started;
        }

        private void read() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (readyPrefix != null && line.startsWith(readyPrefix)) {
                        ready.countDown();
                    }
                }
            } catch (IOException e) {
                output.append("(reading the output failed: ").append(e).append(")\n");
            } finally {
                ready.countDown();
            }
        }

        /** Waits for the ready line or the end of the output; false when neither came in time. */
        boolean awaitReady(long seconds) throws InterruptedException {
            return ready.await(seconds, TimeUnit.SECONDS);
        }

        /** The exit code, or null when the process has not exited in time. */
        Integer awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                return null;
            }
            reader.join(10_000); // the rest of the output, for the assertion messages
            return process.exitValue();
        }

        String output() {
            return output.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy(); // SIGTERM: the shutdown hook closes workers, broker and registry
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            reader.join(10_000);
        }
    }
}
