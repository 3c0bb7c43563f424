package dev.gopo.launcher;

import dev.gopo.evaluator.Evaluator;
import dev.gopo.evaluator.EvaluatorConfig;
import dev.gopo.generator.Generator;
import dev.gopo.generator.GeneratorConfig;
import dev.gopo.generator.RewardMode;
import dev.gopo.generator.StepBudget;
import dev.gopo.generator.feed.PromptFeeder;
import dev.gopo.learner.Learner;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.VersionCadence;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.PreparedArtifacts;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.TaskVocabulary;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One online training run on a cluster that already exists: ranker, generator(s), learner and
 * evaluator as threads of this JVM under one {@link WorkerGroup}, task prompts fed once, until the
 * learner has made {@code steps} updates and the evaluator has scored every announced version.
 *
 * <p>Everything it creates is named after the cluster's topic prefix (topics, the ranker's
 * application id), so several runs can share one broker one after another, as the cells of
 * {@code gopo study} do. {@code gopo run} is this on a fresh embedded broker.
 */
public final class OnlineTraining {
    /** A learner that sees no advantage group for this long ends the run: generators or ranker have stalled. */
    static final Duration LEARNER_IDLE_TIMEOUT = Duration.ofMinutes(10);

    /**
     * Settings of one run; the learner trains on the first of {@code estimators}, the others are ranked side by side.
     *
     * @param rewardTransform   what the ranker applies to each group's rewards before ranking them ({@code identity} leaves them)
     * @param announceEveryStep the learner announces a policy version after every step (generators get new weights every
     *                          step) instead of at every checkpoint; with {@code maxStalenessSteps = 0} this is lockstep
     *                          (see {@link StepBudget}: each step's groups are sampled by the newest weights, and the
     *                          generators pause until the learner has trained on them)
     * @param promptsPerBatch   each generator's {@code --prompts-per-batch}: prompts whose groups it samples in one batched forward
     *                          pass ({@link GeneratorConfig#promptsPerBatch()})
     */
    public record Settings(int steps, int groupsPerStep, int groupSize, int checkpointEvery, int generators, List<Estimator> estimators,
                           double lr, double beta, long maxStalenessSteps, long maxPolicyLag, int evalPrompts, int samplesPerPrompt,
                           int evalEvery, long seed, RewardTransform rewardTransform, boolean announceEveryStep, int promptsPerBatch) {
        /** Versions at checkpoints, generators with {@link GeneratorConfig#DEFAULT_PROMPTS_PER_BATCH} prompts per batch. */
        public Settings(int steps, int groupsPerStep, int groupSize, int checkpointEvery, int generators, List<Estimator> estimators,
                        double lr, double beta, long maxStalenessSteps, long maxPolicyLag, int evalPrompts, int samplesPerPrompt,
                        int evalEvery, long seed, RewardTransform rewardTransform) {
            this(steps, groupsPerStep, groupSize, checkpointEvery, generators, estimators, lr, beta, maxStalenessSteps, maxPolicyLag,
                    evalPrompts, samplesPerPrompt, evalEvery, seed, rewardTransform, false);
        }

        /** Generators with {@link GeneratorConfig#DEFAULT_PROMPTS_PER_BATCH} prompts per batch. */
        public Settings(int steps, int groupsPerStep, int groupSize, int checkpointEvery, int generators, List<Estimator> estimators,
                        double lr, double beta, long maxStalenessSteps, long maxPolicyLag, int evalPrompts, int samplesPerPrompt,
                        int evalEvery, long seed, RewardTransform rewardTransform, boolean announceEveryStep) {
            this(steps, groupsPerStep, groupSize, checkpointEvery, generators, estimators, lr, beta, maxStalenessSteps, maxPolicyLag,
                    evalPrompts, samplesPerPrompt, evalEvery, seed, rewardTransform, announceEveryStep, GeneratorConfig.DEFAULT_PROMPTS_PER_BATCH);
        }

        public Settings {
            if (steps < 1 || groupsPerStep < 1 || checkpointEvery < 1 || generators < 1 || evalPrompts < 1
                    || samplesPerPrompt < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("--steps, --groups-per-step, --checkpoint-every, --generators, --eval-prompts, "
                        + "--samples-per-prompt and --eval-every must be >= 1");
            }
            if (groupSize < 2) {
                throw new IllegalArgumentException("--group-size must be >= 2, got " + groupSize);
            }
            if (estimators == null || estimators.isEmpty()) {
                throw new IllegalArgumentException("--estimators needs at least one estimator");
            }
            estimators = List.copyOf(estimators);
            Objects.requireNonNull(rewardTransform, "rewardTransform");
            new VersionCadence(checkpointEvery, announceEveryStep).requireStalenessBound(maxStalenessSteps);
            GeneratorConfig.requirePromptsPerBatch(promptsPerBatch);
        }

        /** When the learner announces policy versions, and the least staleness bound that allows. */
        public VersionCadence cadence() {
            return new VersionCadence(checkpointEvery, announceEveryStep);
        }

        /** Steps between policy versions: 1 when every step is announced, else the checkpoint interval. */
        public int versionEverySteps() {
            return cadence().stepsBetweenVersions();
        }

        /** Generator {@code index}'s step budget: its share of what the learner can train on within the staleness bound. */
        public StepBudget stepBudget(int index) {
            return StepBudget.forLearner(groupsPerStep, generators, index, maxStalenessSteps, maxPolicyLag, versionEverySteps());
        }

        /**
         * Generator {@code index}'s settings: inline rewards, temperature 1, seed {@code seed + index}, its {@link #stepBudget}
         * and {@code promptsPerBatch}; the generators share the consumer group {@code consumerGroup}.
         */
        public GeneratorConfig generatorConfig(int index, String consumerGroup, Path initPolicyDir, Map<String, Path> rewardModels) {
            return new GeneratorConfig("generator-" + index, consumerGroup, groupSize,
                    new SamplingConfig(1.0, 0, 1.0, TaskVocabulary.MAX_COMPLETION_TOKENS, seed + index), RewardMode.INLINE, initPolicyDir,
                    rewardModels, 0, 0, Duration.ZERO, stepBudget(index), promptsPerBatch);
        }

        /** The estimator the learner trains on. */
        public Estimator trainedEstimator() {
            return estimators.get(0);
        }

        /** The last announced policy version: one per {@code checkpointEvery} steps (or per step), the last step always announced. */
        public long lastVersion() {
            return (steps + versionEverySteps() - 1) / versionEverySteps();
        }
    }

    /**
     * What the generators did in one run, taken when the learner finished its last step.
     *
     * @param groupsSampled   groups the generators had sampled by then, by their own counters (the window of the learner's wall
     *                        time, for tokens/s; the wasted share counts the groups on the topic instead, see {@link SamplingTotals})
     * @param pausedNanos     summed over generators, nanoseconds their prompt consumers were paused by backpressure
     * @param startedAtMs     wall clock when the prompts were fed (training began)
     * @param learnerWallNanos from then until the learner finished its last step
     */
    public record GeneratorTotals(int generators, long groupsSampled, long pausedNanos, long startedAtMs, long learnerWallNanos) {
    }

    private final Settings settings;
    private final PrintWriter out;
    private final List<Generator> running = new CopyOnWriteArrayList<>();
    private volatile GeneratorTotals totals;

    public OnlineTraining(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * Trains with every worker in {@code workers}; checkpoints, policies, ranker state and {@code eval.csv} go under
     * {@code workDir}. Returns false when the workers were stopped (Ctrl-C) first; throws the first worker's error,
     * naming the worker, when one fails.
     */
    public boolean run(WorkerGroup workers, ClusterConfig cluster, PreparedArtifacts prepared, Path workDir) throws Exception {
        List<Task> tasks = TaskRegistry.byNames(prepared.tasks());
        Map<String, Path> rewardModels = prepared.rewardModelDirs();
        KafkaClients.ensureTopics(cluster, List.of(cluster.topicNames().prompts(), cluster.topicNames().completions(),
                cluster.topicNames().rewards(), cluster.topicNames().metrics(), cluster.topicNames().evalResults(),
                cluster.topicNames().deadLetters()), 4);
        KafkaClients.ensureTopics(cluster, List.of(cluster.topicNames().policyVersions()), 1);
        int prompts = settings.steps() * settings.groupsPerStep() * 2;
        out.printf("== training: %d steps x %d groups x G=%d, estimators %s (learner trains on %s), %d generator(s) "
                        + "(up to %d prompts per sampling batch), %d prompts%n", settings.steps(), settings.groupsPerStep(), settings.groupSize(),
                settings.estimators(), settings.trainedEstimator(), settings.generators(), settings.promptsPerBatch(), prompts);
        out.printf("   staleness bound %d steps, a policy version every %d step(s): generators sample at most %d steps of groups "
                        + "ahead of the newest version (StepBudget)%n", settings.maxStalenessSteps(), settings.versionEverySteps(),
                settings.stepBudget(0).windowSteps());
        out.flush();
        RankerConfig rankerConfig = RankerConfig.builder(cluster).estimators(settings.estimators())
                .stateDir(workDir.resolve("ranker-state")).replicationFactor(1).topicPartitions(4)
                .groupTimeout(Duration.ofMinutes(2)).rewardTransform(settings.rewardTransform()).build();
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
            TrainerConfig trainer = new TrainerConfig(new LossConfig(LearnerDefaults.EPS_LOW, LearnerDefaults.EPS_HIGH, settings.beta()),
                    new AdamWConfig(settings.lr(), Math.min(LearnerDefaults.WARMUP_STEPS, settings.steps() / 2), 0.9, 0.999, 1e-8, 0.0,
                            LearnerDefaults.MAX_GRAD_NORM), LearnerDefaults.TEMPERATURE);
            LearnerConfig learnerConfig = new LearnerConfig("learner-0", settings.trainedEstimator(), settings.groupsPerStep(),
                    settings.maxStalenessSteps(), settings.maxPolicyLag(),
                    settings.checkpointEvery(), settings.announceEveryStep(), workDir.resolve("learner"), prepared.referencePolicyDir(),
                    trainer, settings.steps(), LEARNER_IDLE_TIMEOUT, TaskVocabulary.MAX_COMPLETION_TOKENS, false);
            long lastVersion = settings.lastVersion();
            int evalEvery = evaluatedEvery(lastVersion, settings.evalEvery());
            if (evalEvery != settings.evalEvery()) {
                out.printf("   evaluating every %d versions instead of %d, so that the last version (%d) is evaluated%n",
                        evalEvery, settings.evalEvery(), lastVersion);
            }
            EvaluatorConfig evaluatorConfig = new EvaluatorConfig("evaluator-0", tasks.stream().map(Task::name).toList(),
                    settings.evalPrompts(), settings.samplesPerPrompt(), evalEvery, TaskVocabulary.MAX_COMPLETION_TOKENS, 1.0, settings.seed(), 1000,
                    workDir.resolve("eval.csv"), prepared.referencePolicyDir(), rewardModels, 0, Duration.ZERO);
            for (int g = 0; g < settings.generators(); g++) {
                GeneratorConfig generatorConfig = settings.generatorConfig(g, cluster.topicNames().prefix() + "generators",
                        prepared.referencePolicyDir(), rewardModels);
                workers.submit(generatorConfig.generatorId(), stop -> {
                    try (Generator generator = new Generator(generatorConfig, cluster)) {
                        running.add(generator);
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
                    long startedAtMs = System.currentTimeMillis();
                    long started = System.nanoTime();
                    PromptFeeder.publish(cluster, PromptFeeder.prompts(tasks, Split.TRAIN, prompts, settings.seed()));
                    if (!workers.awaitFirstFailure(learning::isDone, Duration.ofDays(365))) {
                        return false;
                    }
                    long learnerWall = System.nanoTime() - started;
                    totals = new GeneratorTotals(settings.generators(), running.stream().mapToLong(Generator::groups).sum(),
                            running.stream().mapToLong(Generator::pausedNanos).sum(), startedAtMs, learnerWall);
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

    /** The generators' totals at the learner's last step; null before the learner has finished. */
    public GeneratorTotals generatorTotals() {
        return totals;
    }

    /** The largest divisor of {@code lastVersion} that is at most {@code requested}: the last version is always evaluated. */
    public static int evaluatedEvery(long lastVersion, int requested) {
        for (int d = requested; d > 1; d--) {
            if (lastVersion % d == 0) {
                return d;
            }
        }
        return 1;
    }
}
