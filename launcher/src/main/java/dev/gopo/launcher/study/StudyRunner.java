package dev.gopo.launcher.study;

import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.launcher.OnlineTraining;
import dev.gopo.launcher.RunResults;
import dev.gopo.launcher.WorkerGroup;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.files.FileTrees;
import dev.gopo.report.Report;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PreparedArtifacts;
import dev.gopo.tasks.TaskRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import me.tongfei.progressbar.ProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a study: every cell of the grid on one embedded broker and registry (each cell under its own topic
 * prefix), skipping the cells a previous run of the same study finished, then the head-to-head, then the
 * report. Per-cell output goes to the cell's {@code run.log}; the console shows a progress bar with the
 * cell count and ETA, and one line per finished cell.
 *
 * <p>A replay cell trains on the rollouts recorded by its seed's online GOPO identity cell, which must be on
 * this process's broker (it is not kept between processes). When a study resumes with replay cells of a seed
 * left to do, the seed's replay cells are all run again on one new recording, so that every replay cell of a
 * seed trains on the very same rollouts.
 */
public final class StudyRunner {
    private static final Logger log = LoggerFactory.getLogger(StudyRunner.class);
    static final String SETTINGS_FILE = "study.properties";
    private static final Duration WORKER_STOP_TIMEOUT = Duration.ofMinutes(2);

    private final StudySettings settings;
    private final StudyDirectory dir;
    private final Path cacheDir;
    private final PrintWriter out;
    private final AtomicReference<WorkerGroup> current = new AtomicReference<>();
    private volatile boolean stopRequested;
    /** Topic prefixes of the recordings (online GOPO identity runs) on this process's broker, by seed. */
    private final Map<Long, String> recordings = new LinkedHashMap<>();

    public StudyRunner(StudySettings settings, Path studyDir, Path cacheDir, PrintWriter out) {
        this.settings = settings;
        this.dir = new StudyDirectory(studyDir);
        this.cacheDir = cacheDir;
        this.out = out;
    }

    /** Runs the study; returns 0 when every cell is done and the report written, 130 when stopped by Ctrl-C. */
    public int run() throws Exception {
        long t0 = System.nanoTime();
        dir.open(settings.describe());
        List<Cell> cells = settings.cells();
        dir.forgetPartialReplayBlocks(settings);
        long done = cells.stream().filter(dir::isDone).count();
        out.printf("study %s: %d cells (%d done before), %s%n", dir.root(), cells.size(), done, settings.describe());
        out.flush();
        PreparedArtifacts prepared = new Prepare(settings.prepare(), cacheDir, out).run();
        CountDownLatch closed = new CountDownLatch(1);
        Thread onCtrlC = new Thread(() -> {
            log.info("gopo study: shutdown requested (Ctrl-C); stopping the running cell, finished cells stay saved");
            stopRequested = true;
            WorkerGroup workers = current.get();
            if (workers != null) {
                workers.stop();
            }
            try {
                if (!closed.await(WORKER_STOP_TIMEOUT.plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("gopo study: the running cell did not stop in time; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "gopo-study-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try (EmbeddedInfra infra = EmbeddedInfra.start(dir.root().resolve("infra"), 4, true);
             ProgressBar progress = StudyProgress.bar(cells.size(), done)) {
            for (int i = 0; i < cells.size() && !stopRequested; i++) {
                Cell cell = cells.get(i);
                if (dir.isDone(cell)) {
                    continue;
                }
                progress.setExtraMessage(cell.toString());
                long c0 = System.nanoTime();
                CellOutcome outcome = runCell(infra, prepared, cell);
                if (outcome == null) {
                    break;
                }
                progress.step();
                out.printf("cell %d/%d %s: %s (%.0f s)%n", i + 1, cells.size(), cell, outcome.summary(), (System.nanoTime() - c0) / 1e9);
                out.flush();
                dir.writeStudyCsv(cells);
            }
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it was Ctrl-C
            }
        }
        if (stopRequested) {
            out.println("stopped: finished cells are saved in " + dir.root() + "; run the same command again to resume");
            out.flush();
            return 130;
        }
        out.println("head-to-head: final policies against GOPO's, per mode, transform and task");
        out.flush();
        HeadToHead headToHead = new HeadToHead(TaskRegistry.byNames(prepared.tasks()), settings.headToHeadPrompts(),
                settings.samplesPerPrompt());
        HeadToHead.write(headToHead.compare(settings, dir.finalPolicies(cells)), dir.root().resolve(HeadToHead.FILE));
        Path report = Report.write(dir.root());
        out.printf("study done in %.0f s: %s, report %s%n", (System.nanoTime() - t0) / 1e9, dir.root().resolve(StudyCsv.FILE), report);
        out.flush();
        return 0;
    }

    /** Runs one cell into its directory and marks it done; null when Ctrl-C stopped it. */
    private CellOutcome runCell(EmbeddedInfra infra, PreparedArtifacts prepared, Cell cell) throws Exception {
        Path cellDir = dir.freshCellDir(cell);
        long t0 = System.nanoTime();
        ClusterConfig cluster = cluster(infra, cell.topicPrefix());
        boolean completed;
        if (cell.mode() == StudyMode.ONLINE) {
            completed = train(cell, cluster, prepared, cellDir);
            if (completed && cell.equals(cell.recording())) {
                recordings.put(cell.seed(), cell.topicPrefix());
            }
        } else {
            String source = recording(infra, prepared, cell.seed());
            if (source == null) {
                return null;
            }
            // A replay runs its own learner and evaluator; Ctrl-C ends the study after it (replays are short).
            try (PrintWriter cellLog = log(cellDir)) {
                StudyReplay.run(settings, cell, cluster, source, prepared, cellDir, cellLog);
            }
            completed = !stopRequested;
        }
        if (!completed) {
            return null;
        }
        Map<String, String> info = new LinkedHashMap<>();
        info.put("mode", cell.mode().label());
        info.put("estimator", cell.estimator().name());
        info.put("transform", cell.transform());
        info.put("seed", Long.toString(cell.seed()));
        info.put("steps", Integer.toString(settings.steps()));
        info.put("wall_s", String.format(Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9));
        RunResults results = RunResults.write(cluster, cell.estimator(), info, cellDir);
        dir.finishCell(cell, settings.training(cell).lastVersion());
        return new CellOutcome(results);
    }

    /** The online training of {@code cell} into {@code workDir}, stoppable by Ctrl-C; false when it was stopped. */
    private boolean train(Cell cell, ClusterConfig cluster, PreparedArtifacts prepared, Path workDir) throws Exception {
        try (PrintWriter workLog = log(workDir); WorkerGroup workers = new WorkerGroup("study-" + cell.id(), WORKER_STOP_TIMEOUT)) {
            current.set(workers);
            return new OnlineTraining(settings.training(cell), workLog).run(workers, cluster, prepared, workDir);
        } finally {
            current.set(null);
        }
    }

    private static PrintWriter log(Path workDir) throws IOException {
        return new PrintWriter(Files.newBufferedWriter(workDir.resolve("run.log"), StandardCharsets.UTF_8), true);
    }

    /**
     * The topic prefix of the seed's recording on this broker: the online GOPO identity cell if it ran in this
     * process, else a new recording made now (a resumed study); null when Ctrl-C stopped the recording.
     */
    private String recording(EmbeddedInfra infra, PreparedArtifacts prepared, long seed) throws Exception {
        String prefix = recordings.get(seed);
        if (prefix != null) {
            return prefix;
        }
        Cell recording = new Cell(StudyMode.ONLINE, Estimator.GOPO, StudySettings.IDENTITY, seed);
        prefix = "study.recording-" + recording.id() + "-" + System.currentTimeMillis() + ".";
        Path recordingDir = dir.root().resolve("recordings").resolve(recording.id());
        FileTrees.deleteRecursively(recordingDir);
        Files.createDirectories(recordingDir);
        out.printf("recording the rollouts of seed %d for its replay cells (the online GOPO identity cell ran in an earlier process)%n",
                seed);
        out.flush();
        if (!train(recording, cluster(infra, prefix), prepared, recordingDir)) {
            return null;
        }
        recordings.put(seed, prefix);
        return prefix;
    }

    private static ClusterConfig cluster(EmbeddedInfra infra, String prefix) {
        return new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(prefix));
    }

    /** What a finished cell prints: the last evaluated version's validation reward and judge win rate per task. */
    record CellOutcome(RunResults results) {
        String summary() {
            Map<String, dev.gopo.avro.EvaluationResult> last = new LinkedHashMap<>();
            for (var r : results.evaluations()) {
                last.merge(r.getTask(), r, (a, b) -> b.getPolicyVersion() >= a.getPolicyVersion() ? b : a);
            }
            Set<String> parts = new java.util.LinkedHashSet<>();
            for (var r : last.values()) {
                parts.add(String.format(Locale.ROOT, "%s step %d validation reward %.3f, judge %.3f [%.3f, %.3f]", r.getTask(), r.getStep(),
                        r.getValidationReward(), r.getWinRate(), r.getWinRateCiLow(), r.getWinRateCiHigh()));
            }
            return String.join("; ", parts);
        }
    }
}
