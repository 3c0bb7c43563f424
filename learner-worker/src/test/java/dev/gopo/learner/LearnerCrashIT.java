package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a learner process (no clean close) after its first checkpoint, restarts it, and checks the
 * ledger of trained groups: every group trained exactly once, none skipped.
 */
class LearnerCrashIT {
    @TempDir
    Path tmp;

    @Test
    void killedMidRunAndRestartedTrainsEveryGroupExactlyOnce() throws Exception {
        LearnerHarness h = new LearnerHarness("crash");
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        int groups = 240;
        List<String> ids = h.produceGroups(groups, 4, 0);
        Path work = tmp.resolve("work");
        Path latest = work.resolve("checkpoints/LATEST");

        Process first = learnerProcess(h, init, work, "first.log");
        long deadline = System.currentTimeMillis() + 120_000;
        while (!Files.exists(latest) && first.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        CheckpointStore store = new CheckpointStore(work.resolve("checkpoints"), 2);
        long stepAtKill = store.latest().orElseThrow(() -> new AssertionError("no checkpoint before the kill; log:\n" + log("first.log"))).step();
        assertThat(stepAtKill).as("the kill must land mid-run").isLessThan(groups / 2);

        Process second = learnerProcess(h, init, work, "second.log");
        assertThat(second.waitFor(240, TimeUnit.SECONDS)).as("restarted learner finishes").isTrue();
        assertThat(second.exitValue()).as("exit code; log:\n%s", log("second.log")).isZero();

        List<String> ledger = new ArrayList<>();
        store.all().forEach(c -> ledger.addAll(c.trainedGroups()));
        Set<String> unique = new HashSet<>(ledger);
        assertThat(ledger).as("no group trained twice").hasSize(unique.size());
        // A step whose update overflows even when recomputed is skipped and its groups dead-lettered
        // (at least once: a crash before the next checkpoint re-reads them). Training is not
        // deterministic here (two partitions interleave differently per run), so such a step is
        // rare but possible; it is accounted for, never silently lost.
        Set<String> skipped = new HashSet<>();
        h.readAll(h.cluster.topicNames().deadLetters(), h.cluster.topics().deadLetters().valueSerde().deserializer(), 0,
                Duration.ofSeconds(10)).forEach(d -> {
                    assertThat(d.getReason()).isEqualTo("NON_FINITE_UPDATE");
                    skipped.add(d.getKey());
                });
        assertThat(skipped).as("a skipped group is not also trained").doesNotContainAnyElementsOf(unique);
        Set<String> accounted = new HashSet<>(unique);
        accounted.addAll(skipped);
        assertThat(accounted).as("no group lost").containsExactlyInAnyOrderElementsOf(ids);
        assertThat(store.latest().orElseThrow().step()).isEqualTo((groups - skipped.size()) / 2);
    }

    /** Child logs go under target/ so they outlive the test's temporary directory. */
    private static Path logDir() {
        Path dir = Path.of("target", "learner-crash-it");
        try {
            return Files.createDirectories(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String log(String name) {
        try {
            return Files.readString(logDir().resolve(name));
        } catch (java.io.IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private Process learnerProcess(LearnerHarness h, Path init, Path work, String logName) throws Exception {
        List<String> args = List.of(
                "--bootstrap-servers", h.cluster.bootstrapServers(),
                "--registry-url", h.cluster.registryUrl(),
                "--topic-prefix", h.cluster.topicNames().prefix(),
                "--init-policy", init.toString(),
                "--work-dir", work.toString(),
                "--groups-per-step", "2",
                "--checkpoint-every", "3",
                "--max-staleness-steps", "1000",
                "--max-policy-lag", "1000",
                "--lr", "1e-3",
                "--idle-timeout", "5");
        Path logFile = logDir().resolve(logName);
        Files.deleteIfExists(logFile);
        return new ChildJvm(List.of("-Xmx1g", "-Dai.djl.offline=true"), LearnerCommand.class.getName(), args,
                Map.of("DJL_CACHE_DIR", System.getenv().getOrDefault("DJL_CACHE_DIR", tmp.resolve("djl").toString()))).start(logFile);
    }
}
