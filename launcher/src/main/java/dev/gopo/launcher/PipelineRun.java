package dev.gopo.launcher;

import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.report.Report;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job on the embedded default: prepare (or reuse) the reference policy and reward models,
 * start a broker and a registry, run ranker, learner, generator(s) and evaluator against them in
 * this JVM ({@link OnlineTraining}), feed task prompts, train for a number of steps, print the
 * training metrics and the evaluation of every announced policy version, save them
 * ({@link RunResults}) and write the HTML report ({@link Report}).
 */
final class PipelineRun {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);

    /** Settings of one run: where it writes, what it prepares, and the training itself. */
    record Settings(Path workDir, Path cacheDir, PrepareSettings prepare, OnlineTraining.Settings training) {
    }

    /** How long stopping waits for a worker to finish its current record and close. */
    static final Duration WORKER_STOP_TIMEOUT = Duration.ofMinutes(2);

    private final Settings settings;
    private final PrintWriter out;

    PipelineRun(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    int run() throws Exception {
        long t0 = System.nanoTime();
        out.println("== 1/4 prepare: reference policy and reward models (cached under " + settings.cacheDir() + ")");
        out.flush();
        PreparedArtifacts prepared = new Prepare(settings.prepare(), settings.cacheDir(), out).run();
        for (String task : prepared.tasks()) {
            out.printf("   reward model %-12s held-out pairwise accuracy %.3f%n", task, prepared.rewardModelAccuracy(task));
        }

        out.println("== 2/4 embedded infrastructure: KRaft broker + schema registry (fresh run directory " + settings.workDir() + ")");
        out.flush();
        RunDirectory.prepareFresh(settings.workDir());
        CountDownLatch closed = new CountDownLatch(1);
        WorkerGroup workers = new WorkerGroup("gopo-run", WORKER_STOP_TIMEOUT);
        Thread onCtrlC = ctrlCHook(workers, closed);
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try {
            return runOnInfra(t0, prepared, workers);
        } finally {
            // Released only when everything is written, the report included: Ctrl-C's hook waits for it.
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it was Ctrl-C
            }
        }
    }

    private int runOnInfra(long t0, PreparedArtifacts prepared, WorkerGroup workers) throws Exception {
        try (EmbeddedInfra infra = EmbeddedInfra.start(settings.workDir().resolve("infra"), 4, true)) {
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), TopicNames.defaults());
            out.println("   broker " + infra.bootstrapServers() + ", registry " + infra.registryUrl());
            out.println("== 3/4 training");
            boolean completed;
            try (workers) {
                completed = new OnlineTraining(settings.training(), out).run(workers, cluster, prepared, settings.workDir());
            }
            if (!completed) {
                out.println("stopped before the end: every worker stopped and closed; what was written is in " + settings.workDir());
                out.flush();
                return 130;
            }
            out.println("== 4/4 results");
            RunResults results = RunResults.write(cluster, settings.training().trainedEstimator(), runInfo(t0), settings.workDir());
            out.print(RunReport.format(results.metrics(), results.evaluations(), results.groupsSampled()));
            out.flush();
        }
        Path report = Report.write(settings.workDir());
        out.printf("done in %.0f s; evaluation CSV: %s; report: %s%n", (System.nanoTime() - t0) / 1e9,
                settings.workDir().resolve("eval.csv"), report);
        out.flush();
        return 0;
    }

    /** Ctrl-C: stop every worker, then let the run's thread close workers, ranker and infrastructure before the JVM exits. */
    private Thread ctrlCHook(WorkerGroup workers, CountDownLatch closed) {
        return new Thread(() -> {
            log.info("gopo run: shutdown requested (Ctrl-C), stopping every worker and flushing what was written");
            workers.stop();
            try {
                if (!closed.await(WORKER_STOP_TIMEOUT.plusMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("gopo run: workers and infrastructure did not close in time; exiting anyway");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            log.info("gopo run: stopped; the run directory {} holds what was written", settings.workDir());
        }, "gopo-run-shutdown");
    }

    private Map<String, String> runInfo(long t0) {
        OnlineTraining.Settings t = settings.training();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("estimator", t.trainedEstimator().name());
        info.put("steps", Integer.toString(t.steps()));
        info.put("groups_per_step", Integer.toString(t.groupsPerStep()));
        info.put("group_size", Integer.toString(t.groupSize()));
        info.put("prompts_per_batch", Integer.toString(t.promptsPerBatch()));
        info.put("seed", Long.toString(t.seed()));
        info.put("model_size", settings.prepare().modelSize().name());
        info.put("wall_s", String.format(java.util.Locale.ROOT, "%.0f", (System.nanoTime() - t0) / 1e9));
        return info;
    }
}
