package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.learner.Checkpoint;
import dev.gopo.learner.CheckpointStore;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.TrainerConfig;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    /** A learner step as the learner logs it. */
    private static final Pattern LEARNER_STEP = Pattern.compile(" - step (\\d+): loss/policy");

    @TempDir
    Path elsewhere;

    /** The prepared cache of the tests that start a training run and end it early: prepared by the first, reused by the next. */
    @TempDir
    static Path sharedCache;

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void infraFindsTheRegistryFromAnyWorkingDirectory() throws Exception {
        try (JarProcess infra = JarProcess.start(elsewhere, "-Xmx512m", "infra", "--work-dir", elsewhere.resolve("infra").toString())) {
            assertThat(infra.awaitLine(Pattern.compile("^registry URL:"), 150)).as("infra printed its addresses:%n%s", infra.output())
                    .isPresent();
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
        try (JarProcess run = JarProcess.start(elsewhere, "-Xmx1536m", "run", "--model-size", "tiny", "--sft-steps", "10",
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

    /**
     * Ctrl-C in the middle of training: every worker stops, the learner checkpoints the steps it made since its last
     * checkpoint, the broker and registry close, and the JVM exits. With {@code --checkpoint-every} beyond the steps the
     * learner can make here, the only checkpoint on disk is the one written because of Ctrl-C.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void ctrlCStopsEveryWorkerAndKeepsWhatWasWritten() throws Exception {
        Path workDir = elsewhere.resolve("run");
        try (JarProcess run = JarProcess.start(elsewhere, "-Xmx1536m", longTinyRun(workDir))) {
            assertThat(run.awaitLine(LEARNER_STEP, 200)).as("the learner made a step:%n%s", run.output()).isPresent();

            run.interrupt();
            Integer exitCode = run.awaitExit(90);

            assertThat(exitCode).as("gopo run exited after SIGINT%s:%n%s", run.output().contains("shutdown requested") ? ""
                    : " and never said 'shutdown requested': SIGINT was ignored. A JVM keeps SIGINT ignored when its parent ignored it,"
                    + " as in a background job of a non-interactive shell (nohup ... &); run the tests in the foreground", run.output())
                    .isEqualTo(130);
            String output = run.output();
            assertThat(output).as(output)
                    .contains("gopo run: shutdown requested (Ctrl-C)")
                    .contains("stopped before the end: every worker stopped and closed")
                    .contains("gopo run: stopped; the run directory " + workDir + " holds what was written")
                    .contains("learner stopped at step", "generator generator-0 stopped", "evaluator stopped", "ranker closing")
                    .doesNotContain("failed; stopping the other workers")
                    .doesNotContain("did not close in time");
            Path checkpoints = workDir.resolve("learner").resolve("checkpoints");
            try (Stream<Path> entries = Files.list(checkpoints)) {
                assertThat(entries.map(p -> p.getFileName().toString())).as("no half-written checkpoint").noneMatch(n -> n.endsWith(".tmp"));
            }
            Checkpoint last = new CheckpointStore(checkpoints, 2).latest().orElseThrow(() -> new AssertionError("no checkpoint:\n" + output));
            assertThat(last.step()).as("the checkpoint holds every step the learner logged:%n%s", output).isEqualTo(lastLoggedStep(output));
            assertThat(last.offsets()).as("advantages offsets to resume from").isNotEmpty();
            // Loading checks the weights' hashes and that optimizer state and step agree.
            try (PolicyTrainer trainer = PolicyTrainer.load(last.trainerDir(), learnerTrainerConfig())) {
                assertThat(trainer.steps()).isEqualTo(last.step());
            }
        }
    }

    /**
     * A worker that fails for real ends the run with its name: {@code --lr 1e30} makes the first update blow the weights
     * up, every later step is non-finite, and the learner gives up ("training diverges") after a few of them. No new
     * policy version is announced before that ({@code --checkpoint-every} is far away), so the generator and evaluator
     * keep working on version 0 and the learner is the only worker that fails.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = ThreadMode.SEPARATE_THREAD)
    void aFailingWorkerEndsTheRunWithItsName() throws Exception {
        List<String> args = new ArrayList<>(List.of(longTinyRun(elsewhere.resolve("run"))));
        args.addAll(List.of("--lr", "1e30"));
        try (JarProcess run = JarProcess.start(elsewhere, "-Xmx1536m", args.toArray(String[]::new))) {
            assertThat(run.awaitLine(Pattern.compile("worker \\S+ failed; stopping the other workers"), 200))
                    .as("a worker failed:%n%s", run.output()).isPresent();

            Integer exitCode = run.awaitExit(60);

            assertThat(exitCode).as("gopo run ended within 60 s of the failure:%n%s", run.output()).isEqualTo(1);
            assertThat(run.output()).as(run.output())
                    .contains("error: worker learner failed: ")
                    .contains("training diverges. Lower --lr")
                    .doesNotContain("failed too, after the first failure");
        }
    }

    /** {@code gopo run} with tiny models and far more steps than a test waits for: it is still training when stopped. */
    private static String[] longTinyRun(Path workDir) {
        return new String[] {"run", "--model-size", "tiny", "--sft-steps", "10", "--rm-steps", "10", "--steps", "5000",
                "--groups-per-step", "2", "--group-size", "4", "--checkpoint-every", "5000", "--max-staleness-steps", "5000",
                "--estimators", "GOPO", "--eval-prompts", "1", "--samples-per-prompt", "1", "--eval-every", "1",
                "--work-dir", workDir.toString(), "--cache-dir", sharedCache.toString()};
    }

    private static long lastLoggedStep(String output) {
        Matcher step = LEARNER_STEP.matcher(output);
        long last = -1;
        while (step.find()) {
            last = Long.parseLong(step.group(1));
        }
        return last;
    }

    /** The trainer settings {@code gopo run} gives its learner; loading a checkpoint checks them against nothing but the model. */
    private static TrainerConfig learnerTrainerConfig() {
        return new TrainerConfig(new LossConfig(LearnerDefaults.EPS_LOW, LearnerDefaults.EPS_HIGH, LearnerDefaults.BETA),
                new AdamWConfig(LearnerDefaults.LR, LearnerDefaults.WARMUP_STEPS, 0.9, 0.999, 1e-8, 0.0, LearnerDefaults.MAX_GRAD_NORM),
                LearnerDefaults.TEMPERATURE);
    }

    /** The launcher jar as a child JVM in a working directory, its output collected line by line; closing it stops it. */
    private static final class JarProcess implements AutoCloseable {
        private final Process process;
        private final List<String> lines = new ArrayList<>(); // guarded by itself
        private boolean ended; // guarded by lines
        private final Thread reader;

        private JarProcess(Process process) {
            this.process = process;
            this.reader = new Thread(this::read, "launcher-jar-output");
        }

        static JarProcess start(Path workingDir, String maxHeap, String... args) throws IOException {
            Path jar = Path.of(System.getProperty("basedir", "."), "target", "gopo-launcher.jar").toAbsolutePath();
            assertThat(jar).as("built in the package phase").isRegularFile();
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    maxHeap, "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-jar", jar.toString()));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
            builder.environment().remove("GOPO_REGISTRY_HOME");
            JarProcess started = new JarProcess(builder.start());
            started.reader.start();
            return started;
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                        lines.notifyAll();
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("(reading the output failed: " + e + ")");
                }
            } finally {
                synchronized (lines) {
                    ended = true;
                    lines.notifyAll();
                }
            }
        }

        /** The first line in which {@code pattern} is found, waiting for it; empty when the output ended or time ran out first. */
        Optional<String> awaitLine(Pattern pattern, long seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int checked = 0;
            synchronized (lines) {
                while (true) {
                    for (; checked < lines.size(); checked++) {
                        if (pattern.matcher(lines.get(checked)).find()) {
                            return Optional.of(lines.get(checked));
                        }
                    }
                    long left = deadline - System.nanoTime();
                    if (ended || left <= 0) {
                        return Optional.empty();
                    }
                    TimeUnit.NANOSECONDS.timedWait(lines, left);
                }
            }
        }

        /** SIGINT, as Ctrl-C in a terminal sends it. */
        void interrupt() throws IOException, InterruptedException {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start();
            assertThat(kill.waitFor()).as("kill -INT %d", process.pid()).isZero();
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
            synchronized (lines) {
                return String.join("\n", lines) + "\n";
            }
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
