package dev.gopo.learner;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes checkpoints, and announces their policy versions, on a thread of its own while the training thread goes on
 * with the next steps. The training thread copies the trainer's state at the checkpoint's step (the next step changes
 * the weights and moments in place) together with the offsets and trained-group ledger of exactly the steps in those
 * weights; this thread writes the copy. One checkpoint is in flight at a time: {@link #submit} first waits for the one
 * before, so checkpoints are written and versions announced in step order.
 *
 * <p>Order of one checkpoint, each step finished before the next starts:
 * <ol>
 *   <li>the announced weights under {@code policies/v-NNNNNN/} (only if the checkpoint announces);</li>
 *   <li>{@link CheckpointStore#save}: trainer state, offsets and ledger into {@code step-NNNNNNNN.tmp/}, renamed into
 *       place, then {@code LATEST} switched to it;</li>
 *   <li>the announcement of the version on the policy-versions topic.</li>
 * </ol>
 * So a version is announced only once its weights and its checkpoint are complete on disk, and a crash (kill -9) at any
 * point of a write leaves the previous complete checkpoint as {@code LATEST}, with its own offsets and ledger: a restart
 * resumes there and trains the later groups again, none twice in the surviving history. A write that fails is reported
 * to the training thread ({@link #submit}, {@link #await}, {@link #throwIfFailed}), which then stops the learner as a
 * failed synchronous checkpoint did.
 */
final class CheckpointWriter implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CheckpointWriter.class);

    /** The trainer's state at the checkpoint's step, copied on the training thread; closed once written. */
    interface State extends AutoCloseable {
        /** Writes the trainer state (weights, reference, optimizer state) into {@code trainerDir}. */
        void save(Path trainerDir) throws IOException;

        /** Writes the policy weights to announce into {@code dir}; returns their SHA-256. */
        String savePolicy(Path dir) throws IOException;

        @Override
        void close();
    }

    /** Announces a version whose weights and checkpoint are complete. */
    @FunctionalInterface
    interface Announcement {
        void announce(long version, long step, String sha256);
    }

    /**
     * A checkpoint to write.
     *
     * @param announce      whether to announce {@code policyVersion} once written
     * @param offsets       next offset per advantages partition: after exactly the records of the steps in {@code state}
     * @param trainedGroups ids of the groups trained since the previous checkpoint, all in {@code state}'s weights
     */
    record Job(long step, long policyVersion, boolean announce, Map<String, Long> offsets, List<String> trainedGroups, State state) {
        Job {
            offsets = Map.copyOf(offsets);
            trainedGroups = List.copyOf(trainedGroups);
        }
    }

    private final CheckpointStore store;
    private final Path policiesDir;
    private final Announcement announcement;
    private final ExecutorService thread;
    private Future<Checkpoint> inFlight;
    private Checkpoint lastWritten;

    CheckpointWriter(CheckpointStore store, Path policiesDir, Announcement announcement, String threadName) {
        this.store = store;
        this.policiesDir = policiesDir;
        this.announcement = announcement;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands a checkpoint to the writer thread and returns at once, after waiting for the previous checkpoint.
     *
     * @throws IOException the previous checkpoint's failure (this one is then not written)
     */
    void submit(Job job) throws IOException {
        try {
            await();
            inFlight = thread.submit(() -> write(job));
        } catch (IOException | RuntimeException e) {
            job.state().close();
            throw e;
        }
    }

    /** Throws the failure of a finished checkpoint write, without waiting for one in flight. */
    void throwIfFailed() throws IOException {
        if (inFlight != null && inFlight.isDone()) {
            await();
        }
    }

    /**
     * Waits until every submitted checkpoint is written and announced.
     *
     * @return the last checkpoint this writer completed, if any
     * @throws IOException when a write failed; {@code LATEST} is then the checkpoint before it
     */
    Optional<Checkpoint> await() throws IOException {
        if (inFlight != null) {
            Future<Checkpoint> pending = inFlight;
            inFlight = null;
            try {
                lastWritten = pending.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for a checkpoint to be written");
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof IOException io) {
                    throw new IOException("checkpoint write failed: " + io.getMessage(), io);
                }
                if (cause instanceof UncheckedIOException io) {
                    throw new IOException("checkpoint write failed: " + io.getMessage(), io.getCause());
                }
                throw new IllegalStateException("checkpoint write failed: " + cause, cause);
            }
        }
        return Optional.ofNullable(lastWritten);
    }

    private Checkpoint write(Job job) throws IOException {
        try (State state = job.state()) {
            String sha = job.announce() ? state.savePolicy(PolicyAnnouncer.versionDir(policiesDir, job.policyVersion())) : null;
            Checkpoint cp = store.save(job.step(), job.policyVersion(), job.offsets(), job.trainedGroups(), state::save);
            log.info("checkpoint {} (step {}, offsets {})", cp.dir().getFileName(), cp.step(), cp.offsets());
            if (job.announce()) {
                announcement.announce(job.policyVersion(), job.step(), sha);
            }
            return cp;
        }
    }

    /** Lets a checkpoint in flight finish (it is complete and consistent), then stops the thread. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(5, TimeUnit.MINUTES)) {
                log.warn("a checkpoint write did not finish within 5 minutes; LATEST stays at the checkpoint before it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (inFlight != null && inFlight.isDone()) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException e) {
                log.error("the last checkpoint write failed; LATEST stays at the checkpoint before it: {}", e.getCause().toString());
            }
        }
    }
}
