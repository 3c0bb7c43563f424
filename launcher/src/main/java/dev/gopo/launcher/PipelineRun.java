package dev.gopo.launcher;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.evaluator.Evaluator;
import dev.gopo.evaluator.EvaluatorConfig;
import dev.gopo.generator.Generator;
import dev.gopo.generator.GeneratorConfig;
import dev.gopo.generator.RewardMode;
import dev.gopo.generator.feed.PromptFeeder;
import dev.gopo.learner.Learner;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.TaskVocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The main job on the embedded default: prepare (or reuse) the reference policy and reward models,
 * start a broker and a registry, run ranker, learner, generator(s) and evaluator against them in
 * this JVM, feed task prompts, train for a number of steps, and print the training metrics and the
 * evaluation of every announced policy version.
 */
final class PipelineRun {
    private static final Logger log = LoggerFactory.getLogger(PipelineRun.class);

    /** Settings of one run. */
    record Settings(Path workDir, Path cacheDir, PrepareSettings prepare, int steps, int groupsPerStep, int groupSize,
                    int checkpointEvery, int generators, List<Estimator> estimators, double lr, double beta, long maxStalenessSteps, long maxPolicyLag,
                    int evalPrompts, int samplesPerPrompt, int evalEvery, long seed) {
        Settings {
            if (steps < 1 || groupsPerStep < 1 || checkpointEvery < 1 || generators < 1 || evalPrompts < 1
                    || samplesPerPrompt < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("--steps, --groups-per-step, --checkpoint-every, --generators, --eval-prompts, "
                        + "--samples-per-prompt and --eval-every must be >= 1");
            }
            if (groupSize < 2) {
                throw new IllegalArgumentException("--group-size must be >= 2, got " + groupSize);
            }
            if (estimators.isEmpty()) {
                throw new IllegalArgumentException("--estimators needs at least one estimator");
            }
        }
    }

    /** A learner that sees no advantage group for this long ends the run: generators or ranker have stalled. */
    static final Duration LEARNER_IDLE_TIMEOUT = Duration.ofMinutes(10);
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
        List<Task> tasks = TaskRegistry.byNames(prepared.tasks());
        Map<String, Path> rewardModels = new HashMap<>();
        for (Task task : tasks) {
            rewardModels.put(task.name(), prepared.rewardModelDir(task.name()));
            out.printf("   reward model %-12s held-out pairwise accuracy %.3f%n", task.name(), prepared.rewardModelAccuracy(task.name()));
        }

        out.println("== 2/4 embedded infrastructure: KRaft broker + schema registry (fresh run directory " + settings.workDir() + ")");
        out.flush();
        RunDirectory.prepareFresh(settings.workDir());
        CountDownLatch closed = new CountDownLatch(1);
        WorkerGroup workers = new WorkerGroup("gopo-run", WORKER_STOP_TIMEOUT);
        // Ctrl-C: stop every worker, then let this thread close workers, ranker and infrastructure before the JVM exits.
        Thread onCtrlC = new Thread(() -> {
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
        Runtime.getRuntime().addShutdownHook(onCtrlC);
        try (EmbeddedInfra infra = EmbeddedInfra.start(settings.workDir().resolve("infra"), 4, true)) {
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), TopicNames.defaults());
            out.println("   broker " + infra.bootstrapServers() + ", registry " + infra.registryUrl());
            KafkaClients.ensureTopics(cluster, List.of(cluster.topicNames().prompts(), cluster.topicNames().completions(),
                    cluster.topicNames().rewards(), cluster.topicNames().metrics(), cluster.topicNames().evalResults(),
                    cluster.topicNames().deadLetters()), 4);
            KafkaClients.ensureTopics(cluster, List.of(cluster.topicNames().policyVersions()), 1);
            boolean completed;
            try (workers) {
                completed = runWorkers(workers, cluster, prepared, tasks, rewardModels);
            }
            if (!completed) {
                out.println("stopped before the end: every worker stopped and closed; what was written is in " + settings.workDir());
                out.flush();
                return 130;
            }
            out.println("== 4/4 results");
            printReport(cluster);
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(onCtrlC);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it was Ctrl-C
            }
        }
        out.printf("done in %.0f s; evaluation CSV: %s%n", (System.nanoTime() - t0) / 1e9, settings.workDir().resolve("eval.csv"));
        out.flush();
        return 0;
    }

    /**
     * Trains with every worker in one {@link WorkerGroup}. Returns false when Ctrl-C stopped the workers first; throws the
     * first worker's error, naming the worker, when one fails.
     */
    private boolean runWorkers(WorkerGroup workers, ClusterConfig cluster, PreparedArtifacts prepared, List<Task> tasks,
                               Map<String, Path> rewardModels) throws Exception {
        int prompts = settings.steps() * settings.groupsPerStep() * 2;
        // Backpressure: each version samples what the learner consumes until the next version (groups per step x
        // checkpoint interval). More would let the queue, and so staleness, grow by the excess at every version until
        // groups are dropped as stale (a factor of 2 dropped 2,029 of 6,800 groups in a 300-step run).
        long groupsPerVersion = Math.max(settings.groupsPerStep(),
                (long) settings.groupsPerStep() * settings.checkpointEvery() / settings.generators());
        out.printf("== 3/4 training: %d steps x %d groups x G=%d, estimators %s (learner trains on %s), %d generator(s), %d prompts%n",
                settings.steps(), settings.groupsPerStep(), settings.groupSize(), settings.estimators(), settings.estimators().get(0),
                settings.generators(), prompts);
        out.flush();
        RankerConfig rankerConfig = RankerConfig.builder(cluster).estimators(settings.estimators())
                .stateDir(settings.workDir().resolve("ranker-state")).replicationFactor(1).topicPartitions(4)
                .groupTimeout(Duration.ofMinutes(2)).build();
        try (RankerWorker ranker = RankerWorker.start(rankerConfig)) {
            if (!ranker.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("the ranker did not start within 60 s: " + ranker.failure());
            }
            // Kafka Streams runs the ranker on its own threads: a watcher turns its failure into a worker failure.
            workers.submit("ranker", stop -> {
                while (!stop.get()) {
                    if (ranker.failure() != null) {
                        throw new IllegalStateException("the ranker's Kafka Streams failed: " + ranker.failure().getMessage(), ranker.failure());
                    }
                    Thread.sleep(200);
                }
            });
            Estimator trainOn = settings.estimators().get(0);
            TrainerConfig trainer = new TrainerConfig(new LossConfig(LearnerDefaults.EPS_LOW, LearnerDefaults.EPS_HIGH, settings.beta()),
                    new AdamWConfig(settings.lr(), Math.min(LearnerDefaults.WARMUP_STEPS, settings.steps() / 2), 0.9, 0.999, 1e-8, 0.0,
                            LearnerDefaults.MAX_GRAD_NORM), LearnerDefaults.TEMPERATURE);
            LearnerConfig learnerConfig = new LearnerConfig("learner-0", trainOn, settings.groupsPerStep(), settings.maxStalenessSteps(),
                    settings.maxPolicyLag(),
                    settings.checkpointEvery(), false, settings.workDir().resolve("learner"), prepared.referencePolicyDir(),
                    trainer, settings.steps(), LEARNER_IDLE_TIMEOUT, TaskVocabulary.MAX_COMPLETION_TOKENS, false);
            long lastVersion = (settings.steps() + settings.checkpointEvery() - 1) / settings.checkpointEvery();
            int evalEvery = evaluatedEvery(lastVersion, settings.evalEvery());
            if (evalEvery != settings.evalEvery()) {
                out.printf("   evaluating every %d versions instead of %d, so that the last version (%d) is evaluated%n",
                        evalEvery, settings.evalEvery(), lastVersion);
            }
            EvaluatorConfig evaluatorConfig = new EvaluatorConfig("evaluator-0", tasks.stream().map(Task::name).toList(),
                    settings.evalPrompts(), settings.samplesPerPrompt(), evalEvery, TaskVocabulary.MAX_COMPLETION_TOKENS, 1.0, settings.seed(), 1000,
                    settings.workDir().resolve("eval.csv"), prepared.referencePolicyDir(), rewardModels, 0, Duration.ZERO);
            for (int g = 0; g < settings.generators(); g++) {
                GeneratorConfig generatorConfig = new GeneratorConfig("generator-" + g, "gopo-generators", settings.groupSize(),
                        new SamplingConfig(1.0, 0, 1.0, TaskVocabulary.MAX_COMPLETION_TOKENS, settings.seed() + g), RewardMode.INLINE,
                        prepared.referencePolicyDir(), rewardModels, groupsPerVersion, 0, Duration.ZERO);
                workers.submit(generatorConfig.generatorId(), stop -> {
                    try (Generator generator = new Generator(generatorConfig, cluster)) {
                        generator.run(stop);
                    }
                });
            }
            try (Evaluator evaluator = new Evaluator(evaluatorConfig, cluster)) {
                Future<?> evaluating = workers.submit("evaluator", evaluator::run);
                AtomicLong versions = new AtomicLong(-1);
                Future<?> learning = workers.submit("learner", stop -> {
                    try (Learner learner = new Learner(learnerConfig, cluster)) {
                        learner.run(stop);
                        if (!stop.get() && learner.steps() < settings.steps()) {
                            throw new IllegalStateException("the learner stopped at step " + learner.steps() + " of " + settings.steps()
                                    + ": no advantage groups for " + LEARNER_IDLE_TIMEOUT.toMinutes() + " minutes (generators or ranker stalled)");
                        }
                        versions.set(learner.policyVersion() + 1);
                    }
                });
                try {
                    PromptFeeder.publish(cluster, PromptFeeder.prompts(tasks, Split.TRAIN, prompts, settings.seed()));
                    if (!workers.awaitFirstFailure(learning::isDone, Duration.ofDays(365))) {
                        return false;
                    }
                    out.printf("   learner finished %d steps; waiting for the evaluator to score all %d policy versions%n",
                            settings.steps(), versions.get());
                    out.flush();
                    if (!workers.awaitFirstFailure(() -> evaluator.handledAnnouncements() >= versions.get() || evaluating.isDone(),
                            Duration.ofMinutes(10)) && workers.stopRequested()) {
                        return false;
                    }
                } finally {
                    // Every worker returns (and closes its clients) before the evaluator and the ranker close under it.
                    workers.close();
                }
                workers.throwIfFailed();
            }
        }
        return true;
    }

    /** The largest divisor of {@code lastVersion} that is at most {@code requested}: the last version is always evaluated. */
    static int evaluatedEvery(long lastVersion, int requested) {
        for (int d = requested; d > 1; d--) {
            if (lastVersion % d == 0) {
                return d;
            }
        }
        return 1;
    }

    private <V> List<V> readAll(ClusterConfig cluster, Topic<String, V> topic) {
        List<V> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(KafkaClients.consumer(cluster, "run-summary-" + topic.name(), "run-summary"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            int empty = 0;
            long deadline = System.currentTimeMillis() + 30_000;
            while (empty < 5 && System.currentTimeMillis() < deadline) {
                var polled = consumer.poll(Duration.ofMillis(200));
                empty = polled.isEmpty() ? empty + 1 : 0;
                polled.forEach(r -> records.add(r.value()));
            }
        }
        return records;
    }

    private void printReport(ClusterConfig cluster) {
        List<TrainingMetrics> metrics = readAll(cluster, cluster.topics().metrics());
        List<EvaluationResult> results = readAll(cluster, cluster.topics().evalResults());
        out.print(RunReport.format(metrics, results));
        out.flush();
    }
}
