package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Asynchronous checkpoints: the checkpoint holds the offsets and ledger handed over with the trainer state, a version is
 * announced only when its checkpoint is complete and {@code LATEST}, and a write that fails half-way leaves the previous
 * checkpoint as the resume point with its own offsets and ledger.
 */
@Timeout(60)
class CheckpointWriterTest {
    @TempDir
    Path dir;

    private final List<String> announced = new CopyOnWriteArrayList<>();

    /** A trainer state that writes one file, optionally parked on {@code gate} half-way, optionally failing there. */
    private static final class FakeState implements CheckpointWriter.State {
        final String content;
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch gate;
        final IOException failure;
        volatile boolean closed;

        FakeState(String content, CountDownLatch gate, IOException failure) {
            this.content = content;
            this.gate = gate;
            this.failure = failure;
        }

        @Override
        public void save(Path trainerDir) throws IOException {
            Files.createDirectories(trainerDir);
            Files.writeString(trainerDir.resolve("policy.bin"), content);
            started.countDown();
            if (gate != null) {
                try {
                    gate.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            if (failure != null) {
                throw failure;
            }
            Files.writeString(trainerDir.resolve("optimizer.bin"), content);
        }

        @Override
        public String savePolicy(Path policyDir) throws IOException {
            Files.createDirectories(policyDir);
            Files.writeString(policyDir.resolve("weights.bin"), content);
            return "sha-" + content;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private CheckpointWriter writer(CheckpointStore store) {
        return new CheckpointWriter(store, dir.resolve("policies"), (version, step, sha) -> {
            // announced only once its checkpoint is complete and LATEST
            try {
                Checkpoint latest = store.latest().orElseThrow();
                assertThat(latest.step()).isEqualTo(step);
                assertThat(latest.policyVersion()).isEqualTo(version);
                assertThat(latest.trainerDir().resolve("optimizer.bin")).exists();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
            announced.add("v" + version + "@" + step + ":" + sha);
        }, "test-checkpoints");
    }

    @Test
    void aCheckpointHoldsTheOffsetsAndLedgerHandedOverEvenWhenTheTrainingThreadMovesOn() throws Exception {
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoints"), 2);
        CountDownLatch gate = new CountDownLatch(1);
        Map<String, Long> offsets = new HashMap<>(Map.of("adv-0", 6L));
        List<String> ledger = new ArrayList<>(List.of("g0", "g1", "g2"));
        FakeState state = new FakeState("a", gate, null);
        try (CheckpointWriter writer = writer(store)) {
            writer.submit(new CheckpointWriter.Job(3, 1, true, offsets, ledger, state));
            assertThat(state.started.await(10, TimeUnit.SECONDS)).isTrue();
            // the training thread goes on while the write is parked: more records read, more groups trained
            offsets.put("adv-0", 12L);
            offsets.put("adv-1", 4L);
            ledger.clear();
            ledger.add("g3");
            assertThat(store.latest()).as("nothing is LATEST before the write completes").isEmpty();
            assertThat(announced).as("nothing announced before the write completes").isEmpty();
            gate.countDown();
            Checkpoint cp = writer.await().orElseThrow();
            assertThat(cp.offsets()).isEqualTo(Map.of("adv-0", 6L));
            assertThat(cp.trainedGroups()).containsExactly("g0", "g1", "g2");
        }
        assertThat(announced).containsExactly("v1@3:sha-a");
        assertThat(state.closed).as("the copy is released once written").isTrue();
        Checkpoint latest = store.latest().orElseThrow();
        assertThat(latest.offsets()).isEqualTo(Map.of("adv-0", 6L));
        assertThat(latest.trainedGroups()).containsExactly("g0", "g1", "g2");
    }

    @Test
    void aWriteThatFailsHalfWayLeavesThePreviousCheckpointAsTheResumePoint() throws Exception {
        Path checkpoints = dir.resolve("checkpoints");
        CheckpointStore store = new CheckpointStore(checkpoints, 2);
        CountDownLatch gate = new CountDownLatch(1);
        FakeState failing = new FakeState("b", gate, new IOException("disk full"));
        try (CheckpointWriter writer = writer(store)) {
            writer.submit(new CheckpointWriter.Job(3, 1, true, Map.of("adv-0", 6L), List.of("g0", "g1", "g2"), new FakeState("a", null, null)));
            writer.submit(new CheckpointWriter.Job(6, 2, true, Map.of("adv-0", 12L), List.of("g3", "g4", "g5"), failing));
            assertThat(failing.started.await(10, TimeUnit.SECONDS)).isTrue();
            // half-way through the second write: the first is LATEST, the second is only a .tmp directory
            assertThat(store.latest().orElseThrow().step()).isEqualTo(3);
            assertThat(checkpoints.resolve("step-00000006.tmp/trainer/policy.bin")).exists();
            gate.countDown();
            assertThatThrownBy(writer::await).as("the training thread learns of the failure")
                    .isInstanceOf(IOException.class).hasMessageContaining("disk full");
        }
        assertThat(failing.closed).isTrue();
        assertThat(announced).as("the version of the failed checkpoint is never announced").containsExactly("v1@3:sha-a");

        // a restart: the incomplete checkpoint is removed and the last complete one is the resume point
        CheckpointStore reopened = new CheckpointStore(checkpoints, 2);
        assertThat(checkpoints.resolve("step-00000006.tmp")).doesNotExist();
        assertThat(checkpoints.resolve("step-00000006")).doesNotExist();
        Checkpoint resume = reopened.latest().orElseThrow();
        assertThat(resume.step()).isEqualTo(3);
        assertThat(resume.policyVersion()).isEqualTo(1);
        assertThat(resume.offsets()).as("offsets of exactly the steps in its weights").isEqualTo(Map.of("adv-0", 6L));
        assertThat(Files.readString(resume.trainerDir().resolve("policy.bin"))).isEqualTo("a");
        List<String> ledger = new ArrayList<>();
        reopened.all().forEach(c -> ledger.addAll(c.trainedGroups()));
        assertThat(ledger).containsExactly("g0", "g1", "g2");
        assertThat(ledger).as("the failed checkpoint's groups are not in the ledger: they were lost with its weights and are read again")
                .doesNotContain("g3", "g4", "g5");
    }
}
