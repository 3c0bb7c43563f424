package dev.gopo.launcher.bench;

import dev.gopo.avro.TrainingMetrics;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.launcher.OnlineTraining;
import dev.gopo.launcher.RunDirectory;
import dev.gopo.launcher.RunResults;
import dev.gopo.launcher.SamplingTotals;
import dev.gopo.launcher.WorkerGroup;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.VersionCadence;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PreparedArtifacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Runs the configurations of {@code gopo bench-async} one after the other on one embedded broker and
 * registry (each under its own topic prefix), with {@link OnlineTraining} (the same code as {@code gopo run}),
 * and prints and saves the figures ({@link AsyncFigures}).
 */
final class AsyncBenchmark {
    private static final Duration WORKER_STOP_TIMEOUT = Duration.ofMinutes(2);
    static final String CSV_FILE = "bench-async.csv";

    /**
     * One configuration: lockstep is a policy version every step with the smallest bound that allows,
     * {@code maxStalenessSteps = 0}; the asynchronous default keeps the defaults (a version every checkpoint, the default
     * staleness bound).
     */
    record Mode(String label, long maxStalenessSteps, VersionCadence cadence) {
        String versions() {
            return cadence.announceEveryStep() ? "every step" : "every " + cadence.stepsBetweenVersions();
        }
    }

    /** What one configuration measured; {@code sampling} gives the wasted share, defined as in {@code gopo run}. */
    record Outcome(Mode mode, int steps, double wallSeconds, List<TrainingMetrics> stepMetrics, long startedAtMs, double learnerIdle,
                   double generatorIdle,
                   SortedMap<Long, Long> staleness, double finalMeanReward, SamplingTotals sampling,
                   double trainMillisPerStep, double genMillisPerStep, double learnerTokensPerS, double generatorTokensPerS,
                   SortedMap<Long, Double> curve) {
        double stepsPerSecond() {
            return steps / wallSeconds;
        }
    }

    private final AsyncBenchSettings settings;
    private final PrintWriter out;
    private final AtomicReference<WorkerGroup> current = new AtomicReference<>();
    private volatile boolean stopRequested;

    AsyncBenchmark(AsyncBenchSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs every mode; returns 0, or 130 when stopped by Ctrl-C. */
    int run() throws Exception {
        long t0 = System.nanoTime();
        List<Mode> modes = settings.modes();
        out.printf("bench-async: %d runs of %d steps x %d groups x G=%d (%s); work dir %s%n", modes.size(), settings.steps(),
                settings.groupsPerStep(), settings.groupSize(), modes.stream().map(Mode::label).collect(Collectors.joining(", ")),
                settings.workDir());
        out.flush();
        PreparedArtifacts prepared = new Prepare(settings.prepare(), settings.cacheDir(), out).run();
        RunDirectory.prepareFresh(settings.workDir());
        Thread onCtrlC = new Thread(() -> {
            stopRequested = true;
            WorkerGroup workers = current.get();
            if (workers != null) {
                workers.stop();
            }
        }, "gopo-bench-async-shutdown");
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        List<Outcome> outcomes = new ArrayList<>();
        try (EmbeddedInfra infra = EmbeddedInfra.start(settings.workDir().resolve("infra"), 4, true)) {
            for (int i = 0; i < modes.size() && !stopRequested; i++) {
                Mode mode = modes.get(i);
                out.printf("run %d/%d: %s (staleness bound %d steps, a policy version %s, generators up to %d steps ahead) ...%n", i + 1,
                        modes.size(), mode.label(), mode.maxStalenessSteps(), mode.versions(),
                        settings.training(mode).stepBudget(0).windowSteps());
                out.flush();
                long r0 = System.nanoTime();
                Outcome outcome = runOne(infra, prepared, mode, i);
                if (outcome == null) {
                    break;
                }
                outcomes.add(outcome);
                out.printf("   %d steps in %.1f s (%.2f steps/s), learner idle %.0f%%, generator idle %.0f%%, mean staleness %.2f, "
                                + "final mean validation reward %.3f (run with evaluation %.0f s)%n", outcome.steps(), outcome.wallSeconds(),
                        outcome.stepsPerSecond(), 100 * outcome.learnerIdle(), 100 * outcome.generatorIdle(),
                        AsyncFigures.meanStaleness(outcome.staleness()), outcome.finalMeanReward(), (System.nanoTime() - r0) / 1e9);
                out.flush();
            }
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it was Ctrl-C
            }
        }
        if (stopRequested) {
            out.println("stopped: runs finished so far are in " + settings.workDir());
            out.flush();
            return 130;
        }
        report(outcomes);
        writeCsv(outcomes, settings.workDir().resolve(CSV_FILE));
        out.printf("bench-async done in %.0f s; figures in %s%n", (System.nanoTime() - t0) / 1e9, settings.workDir().resolve(CSV_FILE));
        out.flush();
        return 0;
    }

    private Outcome runOne(EmbeddedInfra infra, PreparedArtifacts prepared, Mode mode, int index) throws Exception {
        Path dir = settings.workDir().resolve(String.format(Locale.ROOT, "%02d-%s", index + 1, mode.label()));
        Files.createDirectories(dir);
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(),
                new TopicNames("bench-async." + (index + 1) + "-" + mode.label() + "."));
        OnlineTraining.Settings training = settings.training(mode);
        OnlineTraining run = null;
        boolean completed;
        try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve("run.log"), StandardCharsets.UTF_8), true);
             WorkerGroup workers = new WorkerGroup("bench-async-" + mode.label(), WORKER_STOP_TIMEOUT)) {
            current.set(workers);
            run = new OnlineTraining(training, log);
            completed = run.run(workers, cluster, prepared, dir);
        } finally {
            current.set(null);
        }
        if (!completed || run.generatorTotals() == null) {
            return null;
        }
        OnlineTraining.GeneratorTotals totals = run.generatorTotals();
        Map<String, String> info = new LinkedHashMap<>();
        info.put("mode", mode.label());
        info.put("max_staleness_steps", Long.toString(mode.maxStalenessSteps()));
        info.put("steps", Integer.toString(settings.steps()));
        RunResults results = RunResults.write(cluster, training.trainedEstimator(), info, dir);
        return outcome(mode, totals, results);
    }

    private Outcome outcome(Mode mode, OnlineTraining.GeneratorTotals totals, RunResults results) {
        List<TrainingMetrics> steps = results.metrics().stream().filter(m -> m.getStep() <= settings.steps()).toList();
        double wallMs = totals.learnerWallNanos() / 1e6;
        double stepMs = AsyncFigures.sumStepMillis(steps);
        double tokens = AsyncFigures.sumTokens(steps);
        SamplingTotals sampling = SamplingTotals.of(steps, results.groupsSampled());
        double genActiveMs = Math.max(0, totals.generators() * wallMs - totals.pausedNanos() / 1e6) / totals.generators();
        // tokens the generators sampled while the learner ran: the trained tokens scaled by sampled / trained groups, sampled
        // counted by the generators at the learner's last step (the window of genActiveMs), not on the topic as in `sampling`
        double sampledTokens = sampling.trained() == 0 ? 0 : tokens * totals.groupsSampled() / sampling.trained();
        SortedMap<Long, Double> curve = AsyncFigures.meanRewardCurve(results.evaluations());
        return new Outcome(mode, settings.steps(), wallMs / 1000, steps, totals.startedAtMs(),
                AsyncFigures.learnerIdleShare(stepMs, wallMs),
                AsyncFigures.generatorIdleShare(totals.pausedNanos(), totals.generators(), totals.learnerWallNanos()),
                AsyncFigures.mergeHistograms(steps.stream().map(TrainingMetrics::getMetrics).toList()),
                curve.isEmpty() ? Double.NaN : curve.get(curve.lastKey()), sampling,
                stepMs / Math.max(1, steps.size()), genActiveMs / settings.steps(), stepMs > 0 ? tokens / (stepMs / 1000) : 0,
                genActiveMs > 0 ? sampledTokens / totals.generators() / (genActiveMs / 1000) : 0, curve);
    }

    private void report(List<Outcome> outcomes) {
        if (outcomes.isEmpty()) {
            return;
        }
        Outcome lockstep = outcomes.get(0);
        double target = settings.targetReward().orElse(lockstep.finalMeanReward());
        out.println();
        out.printf("target: mean validation reward over tasks >= %.3f (%s)%n", target,
                settings.targetReward().isPresent() ? "--target-reward" : "the lockstep run's final value");
        out.println("mode                bound  window  versions     wall to N   to target   learner idle  generator idle  mean stale  "
                + "final reward  wasted  staleness histogram (k:groups)");
        for (Outcome o : outcomes) {
            out.printf(Locale.ROOT, "%-18s  %5d  %6d  %-11s  %8.1f s  %10s  %11.0f%%  %13.0f%%  %10.2f  %12.3f  %5.1f%%  %s%n", o.mode().label(),
                    o.mode().maxStalenessSteps(), settings.training(o.mode()).stepBudget(0).windowSteps(),
                    o.mode().versions(), o.wallSeconds(),
                    toTarget(o, target), 100 * o.learnerIdle(), 100 * o.generatorIdle(), AsyncFigures.meanStaleness(o.staleness()),
                    o.finalMeanReward(), 100 * o.sampling().wastedShare(), AsyncFigures.histogramText(o.staleness()));
        }
        Outcome async = outcomes.stream().filter(o -> !o.mode().cadence().announceEveryStep()).findFirst().orElse(null);
        if (async != null && async != lockstep) {
            OptionalDouble lt = secondsToTarget(lockstep, target);
            OptionalDouble at = secondsToTarget(async, target);
            out.printf(Locale.ROOT, "async/lockstep: wall to %d steps %.2f (speed-up %.2fx); to target %s; learner idle %.2f; generator idle %.2f%n",
                    settings.steps(), AsyncFigures.ratio(async.wallSeconds(), lockstep.wallSeconds()),
                    lockstep.wallSeconds() / async.wallSeconds(),
                    lt.isPresent() && at.isPresent() ? String.format(Locale.ROOT, "%.2f", AsyncFigures.ratio(at.getAsDouble(), lt.getAsDouble()))
                            : "n/a (not reached by both)",
                    AsyncFigures.ratio(async.learnerIdle(), lockstep.learnerIdle()),
                    AsyncFigures.ratio(async.generatorIdle(), lockstep.generatorIdle()));
        }
        double tGen = lockstep.genMillisPerStep();
        double tTrain = lockstep.trainMillisPerStep();
        double overhead = Math.max(0, lockstep.wallSeconds() * 1000 / lockstep.steps() - tGen - tTrain);
        out.printf(Locale.ROOT, "per step in lockstep: sampling %.0f ms (generator %.0f tokens/s), update %.0f ms (learner %.0f tokens/s), "
                        + "the rest %.0f ms (announce, hot swap, Kafka); on separate machines async/lockstep speed-up ~ "
                        + "(t_gen + t_train + rest) / (max(t_gen, t_train) + rest) = %.2fx%n", tGen, lockstep.generatorTokensPerS(), tTrain,
                lockstep.learnerTokensPerS(), overhead, AsyncFigures.modelledSpeedUp(tGen, tTrain, overhead));
        out.flush();
    }

    /** Seconds until the learner reported the first evaluated step whose mean validation reward reaches {@code target}. */
    private static OptionalDouble secondsToTarget(Outcome o, double target) {
        OptionalLong step = AsyncFigures.firstStepReaching(o.curve(), target);
        return step.isEmpty() ? OptionalDouble.empty() : AsyncFigures.secondsToStep(o.stepMetrics(), step.getAsLong(), o.startedAtMs());
    }

    private static String toTarget(Outcome o, double target) {
        OptionalLong step = AsyncFigures.firstStepReaching(o.curve(), target);
        OptionalDouble seconds = secondsToTarget(o, target);
        return step.isEmpty() || seconds.isEmpty() ? "not reached"
                : String.format(Locale.ROOT, "%.0f s@%d", seconds.getAsDouble(), step.getAsLong());
    }

    private void writeCsv(List<Outcome> outcomes, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("mode,max_staleness_steps,announce_every_step,steps,wall_s,learner_idle,generator_idle,mean_staleness,staleness_hist,"
                    + "final_mean_validation_reward,groups_sampled,dropped_stale,train_ms_per_step,gen_ms_per_step,learner_tokens_per_s,"
                    + "generator_tokens_per_s\n");
            for (Outcome o : outcomes) {
                w.write(String.format(Locale.ROOT, "%s,%d,%b,%d,%.2f,%.4f,%.4f,%.3f,%s,%.4f,%d,%d,%.1f,%.1f,%.0f,%.0f%n", o.mode().label(),
                        o.mode().maxStalenessSteps(), o.mode().cadence().announceEveryStep(), o.steps(), o.wallSeconds(), o.learnerIdle(),
                        o.generatorIdle(), AsyncFigures.meanStaleness(o.staleness()), AsyncFigures.histogramText(o.staleness()),
                        o.finalMeanReward(), o.sampling().sampled(), o.sampling().droppedStale(), o.trainMillisPerStep(), o.genMillisPerStep(),
                        o.learnerTokensPerS(), o.generatorTokensPerS()));
            }
        }
    }
}
