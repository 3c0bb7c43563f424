package dev.gopo.launcher.soak;

import dev.gopo.launcher.Gopo;
import dev.gopo.launcher.RunDirectory;
import dev.gopo.launcher.soak.FaultPlan.Fault;
import dev.gopo.platform.ChildJvm;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.policy.PolicyModel;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code gopo soak}: the pipeline as separate processes under faults, and an account of every group.
 *
 * <ol>
 *   <li>prepare (or reuse) tiny reference models;</li>
 *   <li>start a broker and a registry ({@link SoakInfra}), restartable at the same addresses;</li>
 *   <li>start every worker with its real launcher subcommand as its own JVM ({@link SoakWorker}): two generators
 *       ({@code --reward-mode EXTERNAL}), two rankers of one application id, one learner, one reward producer;</li>
 *   <li>feed prompts in batches ({@code gopo feed-prompts}) while the seeded {@link FaultPlan} kills a random worker with
 *       {@code kill -9} and restarts it, restarts the broker and takes the registry away; a supervisor restarts a worker
 *       that exits on its own and counts it;</li>
 *   <li>drain: wait until every fed group is ranked or dead-lettered and the learner is quiet, then stop every worker
 *       with SIGTERM (the learner writes its last checkpoint);</li>
 *   <li>account for every group ({@link GroupAccounting}) and write the report.</li>
 * </ol>
 */
public final class Soak {
    private static final Logger log = LoggerFactory.getLogger(Soak.class);
    static final String TOPIC_PREFIX = "soak.";
    static final String REPORT_FILE = "soak-report.txt";
    private static final Duration STOP_GRACE = Duration.ofSeconds(60);
    private static final Duration LEARNER_STOP_GRACE = Duration.ofSeconds(120);
    private static final Duration LEARNER_QUIET = Duration.ofSeconds(10);
    private static final Duration FEED_TIMEOUT = Duration.ofSeconds(120);
    private static final int FEED_ATTEMPTS = 3;

    /** The outcome: the process exit code, the accounting and the report text. */
    public record Result(int exitCode, GroupAccounting.Tally tally, Map<String, Integer> killsByType, int faultsDone, int faultsPlanned,
                         String report) {
    }

    private final SoakSettings settings;
    private final PrintWriter out;
    private final long t0 = System.nanoTime();
    private volatile long started = t0;

    public Soak(SoakSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public Result run() throws Exception {
        say("== 1/5 prepare: tiny reference policy and reward models (cached under " + settings.cacheDir() + ")");
        PrepareSettings prepare = prepareSettings(settings);
        PreparedArtifacts prepared = new Prepare(prepare, settings.cacheDir(), out).run();
        RunDirectory.prepareFresh(settings.workDir());
        started = System.nanoTime();
        long deadline = started + settings.timeout().toNanos();
        say("== 2/5 embedded broker + registry (restartable at the same addresses) under " + settings.workDir());
        try (SoakInfra infra = SoakInfra.start(settings.workDir().resolve("infra"))) {
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TOPIC_PREFIX));
            say("   broker " + infra.bootstrapServers() + ", registry " + infra.registryUrl());
            TopicNames names = cluster.topicNames();
            KafkaClients.ensureTopics(cluster, List.of(names.prompts(), names.completions(), names.rewards(), names.advantages(),
                    names.metrics(), names.deadLetters()), 4);
            KafkaClients.ensureTopics(cluster, List.of(names.policyVersions()), 1);
            List<SoakWorker> workers = workers(cluster, prepared);
            Thread hook = new Thread(() -> workers.forEach(SoakWorker::destroyNow), "soak-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                return runWorkers(infra, cluster, workers, started, deadline);
            } finally {
                workers.forEach(SoakWorker::destroyNow);
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs: Ctrl-C
                }
            }
        }
    }

    private Result runWorkers(SoakInfra infra, ClusterConfig cluster, List<SoakWorker> workers, long started,
                              long deadline) throws Exception {
        for (SoakWorker w : workers) {
            w.start();
        }
        say("== 3/5 faults: " + workers.size() + " worker processes started (logs under " + settings.workDir().resolve("logs") + ")");
        List<Fault> plan = FaultPlan.draw(settings.seed(), workers.stream().map(SoakWorker::name).toList(), settings.kills(),
                settings.brokerRestarts(), settings.registryOutages(), settings.minPause(), settings.maxPause());
        AtomicBoolean supervising = new AtomicBoolean(true);
        Thread supervisor = new Thread(() -> supervise(workers, supervising), "soak-supervisor");
        supervisor.setDaemon(true);
        supervisor.start();
        Feeding feeding = new Feeding(cluster);
        Thread feeder = new Thread(feeding, "soak-feeder");
        feeder.setDaemon(true);
        feeder.start();

        long faultsStart = System.nanoTime();
        int done = 0;
        Map<String, SoakWorker> byName = new LinkedHashMap<>();
        workers.forEach(w -> byName.put(w.name(), w));
        int kill = 0;
        int brokerRestart = 0;
        int registryOutage = 0;
        for (Fault fault : plan) {
            if (System.nanoTime() + fault.pauseBefore().toNanos() > deadline) {
                say("   --timeout " + settings.timeout().toSeconds() + " s reached: " + done + " of " + plan.size() + " faults made");
                break;
            }
            Thread.sleep(fault.pauseBefore().toMillis());
            long t = System.nanoTime();
            switch (fault.kind()) {
                case KILL -> {
                    SoakWorker w = byName.get(fault.worker());
                    long oldPid = w.killAndRestart();
                    say(String.format("[%4d s] kill %2d/%d: %s (pid %d) kill -9, restarted as pid %d", elapsed(started), ++kill,
                            settings.kills(), w.name(), oldPid, w.pid()));
                }
                case BROKER_RESTART -> {
                    say(String.format("[%4d s] broker restart %d/%d: stopping the broker (data and port kept), down for %d s",
                            elapsed(started), ++brokerRestart, settings.brokerRestarts(), settings.outage().toSeconds()));
                    infra.restartBroker(settings.outage());
                    say(String.format("[%4d s] broker back at %s after %.1f s", elapsed(started), infra.bootstrapServers(), (System.nanoTime() - t) / 1e9));
                }
                case REGISTRY_OUTAGE -> {
                    say(String.format("[%4d s] registry outage %d/%d: stopping the registry, down for %d s", elapsed(started),
                            ++registryOutage, settings.registryOutages(), settings.outage().toSeconds()));
                    infra.registryOutage(settings.outage());
                    say(String.format("[%4d s] registry back at %s after %.1f s", elapsed(started), infra.registryUrl(), (System.nanoTime() - t) / 1e9));
                }
            }
            done++;
        }
        long faultsSeconds = (System.nanoTime() - faultsStart) / 1_000_000_000L;
        long feedWait = Math.max(0, deadline - System.nanoTime());
        feeder.join(TimeUnit.NANOSECONDS.toMillis(feedWait) + 1);
        if (feeder.isAlive()) {
            feeding.stop.set(true);
            feeder.join(FEED_TIMEOUT.toMillis());
            say("   --timeout reached while feeding: " + feeding.fed.get() + " of " + settings.prompts() + " prompts fed");
        }

        long drainStart = System.nanoTime();
        say(String.format("== 4/5 drain: every fed group ranked or dead-lettered, then the learner quiet for %d s (at most %d s)",
                LEARNER_QUIET.toSeconds(), settings.drainTimeout().toSeconds()));
        PipelineState state = new PipelineState(cluster, generatorGroup());
        long drainDeadline = Math.min(deadline, drainStart + settings.drainTimeout().toNanos());
        boolean drained = drain(state, workers, drainDeadline, started);
        supervising.set(false);
        supervisor.join(10_000);
        long drainSeconds = (System.nanoTime() - drainStart) / 1_000_000_000L;
        // Everything but the learner first, together (each closes its clients on SIGTERM); the learner last, so it writes
        // its final checkpoint after nothing else can reach it.
        stopAll(workers.stream().filter(w -> !w.type().equals("learner")).toList(), STOP_GRACE);
        stopAll(workers.stream().filter(w -> w.type().equals("learner")).toList(), LEARNER_STOP_GRACE);

        say("== 5/5 accounting for every group of the fed prompts");
        GroupAccounting.Tally tally = GroupAccounting.account(state.withLedger(learnerDir().resolve("checkpoints")));
        Map<String, Integer> killsByType = new LinkedHashMap<>();
        workers.forEach(w -> killsByType.merge(w.type(), w.kills(), Integer::sum));
        SoakReport report = new SoakReport(settings, tally, killsByType, workers, kill, brokerRestart, registryOutage, plan.size(), done,
                feeding.fed.get(), feeding.failedAttempts.get(), drained, (System.nanoTime() - t0) / 1e9, (started - t0) / 1e9,
                faultsSeconds, drainSeconds, WorkerLogs.kinds(workers.stream().map(SoakWorker::log).toList()));
        String text = report.format();
        Path file = settings.workDir().resolve(REPORT_FILE);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        out.print(text);
        say("report written to " + file);
        int exit = !tally.clean() ? 1 : done < plan.size() ? 2 : 0;
        return new Result(exit, tally, killsByType, done, plan.size(), text);
    }

    /** Waits until every fed group is on the advantages topic or dead-lettered, then until the learner's log is quiet. */
    private boolean drain(PipelineState state, List<SoakWorker> workers, long deadline, long started) throws Exception {
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            PipelineState.Unsettled seen = state.unsettled();
            long open = seen.open();
            if (open == 0) {
                break;
            }
            if (System.nanoTime() - lastSaid > TimeUnit.SECONDS.toNanos(15)) {
                say(String.format("[%4d s] drain: %d of %d groups not yet ranked or dead-lettered", elapsed(started), open, seen.fed()));
                lastSaid = System.nanoTime();
            }
            Thread.sleep(3000);
        }
        Path learnerLog = workers.stream().filter(w -> w.type().equals("learner")).findFirst().orElseThrow().log();
        long size = -1;
        long quietSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = Files.size(learnerLog);
            if (now != size) {
                size = now;
                quietSince = System.nanoTime();
            } else if (System.nanoTime() - quietSince >= LEARNER_QUIET.toNanos()) {
                say(String.format("[%4d s] drain: done", elapsed(started)));
                return true;
            }
            Thread.sleep(1000);
        }
        say(String.format("[%4d s] drain: --drain-timeout reached; what is still in flight is reported as pending", elapsed(started)));
        return false;
    }

    private void stopAll(List<SoakWorker> some, Duration grace) throws InterruptedException {
        List<Thread> stopping = new ArrayList<>();
        for (SoakWorker w : some) {
            Thread t = new Thread(() -> {
                try {
                    if (!w.stop(grace)) {
                        say("   " + w.name() + " did not stop within " + grace.toSeconds() + " s of SIGTERM and was killed");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "soak-stop-" + w.name());
            t.start();
            stopping.add(t);
        }
        for (Thread t : stopping) {
            t.join();
        }
    }

    /** Restarts workers that exit although nobody stopped them, and says so. */
    private void supervise(List<SoakWorker> workers, AtomicBoolean running) {
        while (running.get()) {
            for (SoakWorker w : workers) {
                try {
                    Integer code = w.restartIfExited();
                    if (code != null) {
                        say(String.format("[%4d s] %s exited on its own with code %d (see %s); restarted as pid %d", elapsed(started), w.name(), code,
                                w.log(), w.pid()));
                    }
                } catch (IOException e) {
                    log.error("could not restart {}: {}", w.name(), e.toString());
                }
            }
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Feeds the prompts in batches with {@code gopo feed-prompts}, each batch retried when the command fails. */
    private final class Feeding implements Runnable {
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicInteger fed = new AtomicInteger();
        final AtomicInteger failedAttempts = new AtomicInteger();
        private final ClusterConfig cluster;

        Feeding(ClusterConfig cluster) {
            this.cluster = cluster;
        }

        @Override
        public void run() {
            try {
                for (int b = 0; b < settings.feedBatches() && !stop.get(); b++) {
                    if (b > 0) {
                        Thread.sleep(settings.feedEvery().toMillis());
                    }
                    int count = settings.batchSize(b);
                    List<String> args = new ArrayList<>(List.of("feed-prompts", "--count", Integer.toString(count),
                            "--seed", Long.toString(settings.seed() + b)));
                    args.addAll(clusterArgs(cluster));
                    ChildJvm feed = new ChildJvm(jvmOptions("256m"), Gopo.class.getName(), args, Map.of());
                    for (int attempt = 1; attempt <= FEED_ATTEMPTS && !stop.get(); attempt++) {
                        Process p = feed.start(settings.workDir().resolve("logs").resolve("feed-prompts.log"));
                        boolean exited = p.waitFor(FEED_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        if (exited && p.exitValue() == 0) {
                            fed.addAndGet(count);
                            break;
                        }
                        if (!exited) {
                            ChildJvm.kill(p, Duration.ofSeconds(10));
                        }
                        failedAttempts.incrementAndGet();
                        say(String.format("[%4d s] feed-prompts batch %d attempt %d failed (%s); see feed-prompts.log", elapsed(started), b + 1,
                                attempt, exited ? "exit code " + p.exitValue() : "no exit within " + FEED_TIMEOUT.toSeconds() + " s"));
                        Thread.sleep(5000);
                    }
                }
            } catch (IOException e) {
                log.error("feeding prompts failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private List<SoakWorker> workers(ClusterConfig cluster, PreparedArtifacts prepared) throws IOException {
        Path logs = Files.createDirectories(settings.workDir().resolve("logs"));
        Path clientConfig = settings.workDir().resolve("soak-client.properties");
        // A killed group member holds its partitions until its session times out; the broker's minimum keeps that short.
        Files.writeString(clientConfig, "# written by gopo soak\nsession.timeout.ms=6000\nheartbeat.interval.ms=2000\n", StandardCharsets.UTF_8);
        List<String> common = new ArrayList<>(clusterArgs(cluster));
        common.addAll(List.of("--client-config", clientConfig.toString(), "--broker-timeout", "3m", "--registry-timeout", "3m"));
        String ref = prepared.referencePolicyDir().toString();
        // No backpressure: with it, the generators wait for a version that the learner announces only after enough trained
        // groups, so dead-lettered groups could stall the soak for good (a liveness question, not the one asked here).
        // The staleness bound is wide for the same reason; stale groups would be dead-lettered and accounted all the same.
        List<SoakWorker> workers = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            workers.add(worker("generator-" + g, "generator", logs, common, "--generator-id", "generator-" + g, "--group-id", generatorGroup(),
                    "-G", Integer.toString(settings.groupSize()), "--seed", Long.toString(settings.seed() + g), "--reward-mode", "EXTERNAL",
                    "--init-policy", ref, "--max-groups-per-version", "0", "--no-step-budget"));
        }
        for (int r = 0; r < 2; r++) {
            workers.add(worker("ranker-" + r, "ranker", logs, common, "--application-id", TOPIC_PREFIX + "ranker",
                    "--state-dir", settings.workDir().resolve("ranker-" + r).toString(), "--replication-factor", "1", "--partitions", "4",
                    "--reward-source", "EXTERNAL", "--estimators", "GOPO", "--group-timeout", "60s", "--log-interval", "10s"));
        }
        workers.add(worker("learner", "learner", logs, common, "--init-policy", ref, "--work-dir", learnerDir().toString(),
                "--groups-per-step", Integer.toString(settings.groupsPerStep()), "--checkpoint-every", Integer.toString(settings.checkpointEvery()),
                "--max-staleness-steps", "1000"));
        List<String> producer = new ArrayList<>(List.of("--producer-id", "reward-producer-0", "--group-id", TOPIC_PREFIX + "reward-producer",
                "--scorer", "model", "--tokenizer", prepared.referencePolicyDir().resolve(PolicyModel.TOKENIZER_FILE).toString()));
        prepared.rewardModelDirs().forEach((task, dir) -> producer.addAll(List.of("--reward-model", task + "=" + dir)));
        workers.add(worker("reward-producer", "reward-producer", logs, common, producer.toArray(String[]::new)));
        return workers;
    }

    private SoakWorker worker(String name, String type, Path logs, List<String> common, String... own) {
        List<String> args = new ArrayList<>();
        args.add(type);
        args.addAll(common);
        args.addAll(List.of(own));
        return new SoakWorker(name, type, new ChildJvm(jvmOptions(settings.workerHeap()), Gopo.class.getName(), args, Map.of()),
                logs.resolve(name + ".log"));
    }

    private static List<String> jvmOptions(String heap) {
        // One PyTorch thread, serial GC and the quick JIT tier: eight JVMs share the machine's cores.
        return List.of("-Xmx" + heap, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1");
    }

    private static List<String> clusterArgs(ClusterConfig cluster) {
        return List.of("--bootstrap-servers", cluster.bootstrapServers(), "--registry-url", cluster.registryUrl(),
                "--topic-prefix", cluster.topicNames().prefix());
    }

    private static String generatorGroup() {
        return TOPIC_PREFIX + "generators";
    }

    private Path learnerDir() {
        return settings.workDir().resolve("learner");
    }

    /**
     * Tiny models on little data: the soak checks where groups go, not what is learned, so the reward models need only
     * rank somehow (400 preference pairs instead of 16,000 keep preparing to seconds).
     */
    static PrepareSettings prepareSettings(SoakSettings settings) {
        PrepareSettings d = PrepareSettings.defaults();
        return new PrepareSettings(d.tasks(), ModelSize.TINY, settings.sftSteps(), settings.rmSteps(), settings.seed(), d.sftBatchSize(), 200,
                d.rmBatchSize(), 400, 100, d.raterTemperature(), 8);
    }

    private static long elapsed(long since) {
        return (System.nanoTime() - since) / 1_000_000_000L;
    }

    private synchronized void say(String line) {
        out.println(line);
        out.flush();
    }

}
