package dev.gopo.launcher.replay;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.evaluator.Evaluator;
import dev.gopo.evaluator.EvaluatorConfig;
import dev.gopo.launcher.OnlineTraining;
import dev.gopo.launcher.WorkerGroup;
import dev.gopo.learner.Learner;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.policy.training.AdamWConfig;
import dev.gopo.policy.training.LossConfig;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.replay.ReplaySource;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.tasks.TaskVocabulary;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A deterministic ablation on recorded rollouts ({@code gopo replay}, and the replay cells of {@code gopo study}): the
 * recorded run's completions are ranked again, with a chosen estimator and reward transform, and a fresh learner
 * trains on exactly those groups, from the reference policy, while the evaluator scores every announced version. The
 * recorded run's topics are only read.
 *
 * <ol>
 *   <li>{@link ReplaySource}: read {@code <sourcePrefix>completions} (and {@code rewards}) from offset 0 to the end
 *       offsets taken at start, keep complete groups, order them by recorded fields, transform and rank, and publish
 *       them to {@code <targetPrefix>advantages[.<estimator>]} (one partition) transactionally.</li>
 *   <li>A {@link Learner} in replay mode ({@link LearnerConfig#replay()}) under the target prefix, learner id (consumer
 *       group) {@code <targetPrefix>learner}, starting from the reference policy. <b>Staleness in replay:</b> the groups
 *       carry the recorded run's policy steps, which count another learner's updates, so the future-policy and
 *       staleness checks are off: every published group is trained once, in the published order. The importance
 *       ratio {@code exp(logp_theta - logp_behaviour)} against the recorded behaviour log-probs and the clip bound each
 *       update, as online; {@code lag/*} metrics report lag on the recorded run's clock.</li>
 *   <li>An {@link Evaluator} under the target prefix evaluating announced versions, writing {@code workDir/eval.csv}.</li>
 * </ol>
 *
 * <p><b>Reproducible:</b> the same source topics and settings give bit-identical weights: groups in a fixed order on one
 * partition, steps of exactly {@code groupsPerStep} of them, no sampling in training (the policy has no dropout), and
 * one PyTorch intra-op thread while the learner runs ({@link JniUtils#setNumThreads(int)}; a multi-threaded reduction
 * may add in another order). The evaluator's numbers are seeded but are not part of that promise.
 */
public final class Replay {
    private static final Logger log = LoggerFactory.getLogger(Replay.class);
    /** The learner stops when it has read every published group and waited this long for more. */
    static final Duration LEARNER_IDLE_TIMEOUT = Duration.ofSeconds(20);
    static final Duration WORKER_STOP_TIMEOUT = Duration.ofMinutes(2);

    /**
     * Settings of one replay.
     *
     * @param sourcePrefix     topic prefix of the recorded run (e.g. {@code gopo.}); only read
     * @param targetPrefix     topic prefix the replay writes under; must differ from {@code sourcePrefix}, and its
     *                         advantages topic must not hold records yet (one prefix per replay)
     * @param estimator        the advantage estimator to rank with, and so the advantages topic the learner reads
     * @param transform        applied to each group's rewards before ranking ({@link RewardTransform#identity()} for none)
     * @param steps            learner steps; 0 = as many as the complete groups fill ({@code groups / groupsPerStep})
     * @param groupsPerStep    groups per learner step
     * @param checkpointEvery  checkpoint and announce a version every this many steps
     * @param lr               peak learning rate (warm-up {@code min(LearnerDefaults.WARMUP_STEPS, steps / 2)} steps)
     * @param beta             KL weight
     * @param referencePolicy  starting policy and KL reference (the prepared reference policy)
     * @param rewardModels     reward model per task, for the evaluator's validation reward; its keys are the tasks evaluated
     * @param evalPrompts      held-out prompts per task and version
     * @param samplesPerPrompt completions per held-out prompt
     * @param evalEvery        evaluate versions whose number is a multiple of this (the last version always)
     * @param seed             the evaluator's seed
     * @param workDir          learner checkpoints and weights ({@code learner/}) and {@code eval.csv}; must not hold a
     *                         learner checkpoint yet (a fresh learner would resume from it)
     */
    public record Settings(String sourcePrefix, String targetPrefix, Estimator estimator, RewardTransform transform, int steps,
                           int groupsPerStep, int checkpointEvery, double lr, double beta, Path referencePolicy,
                           Map<String, Path> rewardModels, int evalPrompts, int samplesPerPrompt, int evalEvery, long seed, Path workDir) {
        public Settings {
            new TopicNames(sourcePrefix);
            new TopicNames(targetPrefix);
            if (sourcePrefix.equals(targetPrefix)) {
                throw new IllegalArgumentException("--prefix '" + targetPrefix + "' equals --source-prefix: a replay never writes to the "
                        + "recorded run's topics; choose a new prefix such as 'replay-1.'");
            }
            Objects.requireNonNull(estimator, "--estimator");
            Objects.requireNonNull(transform, "--reward-transform");
            if (steps < 0) {
                throw new IllegalArgumentException("--steps must be >= 0 (0 = every complete group), got " + steps);
            }
            if (groupsPerStep < 1 || checkpointEvery < 1 || evalPrompts < 1 || samplesPerPrompt < 1 || evalEvery < 1) {
                throw new IllegalArgumentException("--groups-per-step, --checkpoint-every, --eval-prompts, --samples-per-prompt and "
                        + "--eval-every must be >= 1");
            }
            Objects.requireNonNull(referencePolicy, "reference policy");
            if (rewardModels == null || rewardModels.isEmpty()) {
                throw new IllegalArgumentException("the evaluator needs a reward model per task; none given");
            }
            rewardModels = Map.copyOf(rewardModels);
            Objects.requireNonNull(workDir, "--work-dir");
        }
    }

    /**
     * What a replay did.
     *
     * @param source           what was read and published (groups in training order, skipped and bad records)
     * @param steps            learner steps made
     * @param policyVersion    the last announced version (the final weights)
     * @param finalWeightsSha256 SHA-256 of the final weights, as announced
     * @param finalWeights     directory of the final weights (loadable with {@code PolicyModel.load})
     * @param evalCsv          the evaluator's CSV
     */
    public record Result(ReplaySource.Result source, long steps, long policyVersion, String finalWeightsSha256, Path finalWeights,
                         Path evalCsv) {
        /** Complete groups published for training. */
        public int groupsUsed() {
            return source.published().size();
        }

        /** Recorded groups not trained: incomplete, or with a non-finite reward. */
        public int groupsSkipped() {
            return source.skipped();
        }
    }

    private Replay() {
    }

    /**
     * Runs a replay on an existing cluster (broker + registry; the cluster's own topic prefix is not used, the
     * settings' prefixes are). Blocks until the learner has trained and the evaluator has scored the versions to
     * evaluate.
     *
     * @param out progress lines for a person
     * @throws IllegalArgumentException on bad settings: source topic missing or empty, target topic not new
     * @throws WorkerGroup.WorkerFailedException when the learner or the evaluator fails
     */
    public static Result run(Settings settings, ClusterConfig cluster, PrintWriter out) throws IOException, InterruptedException {
        ClusterConfig source = new ClusterConfig(cluster.bootstrapServers(), cluster.registryUrl(), new TopicNames(settings.sourcePrefix()), cluster.registryTimeout(), cluster.brokerTimeout());
        ClusterConfig target = new ClusterConfig(cluster.bootstrapServers(), cluster.registryUrl(), new TopicNames(settings.targetPrefix()), cluster.registryTimeout(), cluster.brokerTimeout());
        Path learnerDir = settings.workDir().resolve("learner");
        if (Files.isDirectory(learnerDir.resolve("checkpoints")) && !isEmpty(learnerDir.resolve("checkpoints"))) {
            throw new IllegalArgumentException("the replay work dir " + settings.workDir() + " already holds learner checkpoints: a "
                    + "replay starts a fresh learner, so give it a new --work-dir");
        }
        Files.createDirectories(settings.workDir());

        out.printf("replay: ranking %scompletions with %s, reward transform %s, into %s%n", settings.sourcePrefix(), settings.estimator(),
                settings.transform().label(), target.topicNames().advantages(settings.estimator().topicSuffix()));
        out.flush();
        ReplaySource.Result published = new ReplaySource(source, target)
                .replay(settings.estimator(), settings.transform(), Double.parseDouble(RankerConfig.GRPO_EPS_DEFAULT));
        int available = published.published().size() / settings.groupsPerStep();
        if (available < 1) {
            throw new IllegalArgumentException("the recorded run has " + published.published().size() + " complete groups (" + published.incomplete()
                    + " incomplete, " + published.nonFinite() + " non-finite): fewer than one step of --groups-per-step "
                    + settings.groupsPerStep());
        }
        int steps = settings.steps() == 0 ? available : settings.steps();
        if (steps > available) {
            throw new IllegalArgumentException("--steps " + steps + " needs " + (long) steps * settings.groupsPerStep() + " groups but the "
                    + "recorded run has " + published.published().size() + " complete groups (at most " + available + " steps of "
                    + settings.groupsPerStep() + ")");
        }
        out.printf("replay: %d groups published (%d incomplete, %d non-finite skipped); training %d steps x %d groups%n",
                published.published().size(), published.incomplete(), published.nonFinite(), steps, settings.groupsPerStep());
        out.flush();

        LearnerConfig learnerConfig = learnerConfig(settings, steps, learnerDir);
        long lastVersion = (steps + settings.checkpointEvery() - 1) / settings.checkpointEvery();
        int evalEvery = OnlineTraining.evaluatedEvery(lastVersion, settings.evalEvery());
        Path evalCsv = settings.workDir().resolve("eval.csv");
        EvaluatorConfig evaluatorConfig = new EvaluatorConfig(settings.targetPrefix() + "evaluator",
                settings.rewardModels().keySet().stream().sorted().toList(), settings.evalPrompts(), settings.samplesPerPrompt(), evalEvery,
                TaskVocabulary.MAX_COMPLETION_TOKENS, LearnerDefaults.TEMPERATURE, settings.seed(), 1000, evalCsv,
                settings.referencePolicy(), settings.rewardModels(), 0, Duration.ZERO);

        KafkaClients.ensureTopics(target, List.of(target.topicNames().metrics(), target.topicNames().evalResults(),
                target.topicNames().deadLetters()), 1);
        KafkaClients.ensureTopics(target, List.of(target.topicNames().policyVersions()), 1);
        int threadsBefore = singleTorchThread();
        AtomicLong trained = new AtomicLong();
        AtomicLong versions = new AtomicLong(-1);
        try (WorkerGroup workers = new WorkerGroup("gopo-replay", WORKER_STOP_TIMEOUT);
             Evaluator evaluator = new Evaluator(evaluatorConfig, target)) {
            Future<?> evaluating = workers.submit("evaluator", evaluator::run);
            Future<?> learning = workers.submit("learner", stop -> {
                try (Learner learner = new Learner(learnerConfig, target)) {
                    learner.run(stop);
                    trained.set(learner.steps());
                    versions.set(learner.policyVersion() + 1);
                }
            });
            try {
                if (!workers.awaitFirstFailure(learning::isDone, Duration.ofDays(365))) {
                    throw new IllegalStateException("the replay was stopped before the learner finished");
                }
                if (trained.get() < steps) {
                    // e.g. groups dead-lettered for another sampling temperature: named on the target's dead-letter topic
                    log.warn("replay: the learner made {} of {} steps; see {} for groups it refused", trained.get(), steps,
                            target.topicNames().deadLetters());
                }
                out.printf("replay: learner finished %d steps; waiting for the evaluator to score the %d policy versions%n", trained.get(),
                        versions.get());
                out.flush();
                if (!workers.awaitFirstFailure(() -> evaluator.handledAnnouncements() >= versions.get() || evaluating.isDone(),
                        Duration.ofMinutes(30))) {
                    throw new IllegalStateException("the evaluator did not score every version within 30 minutes");
                }
            } finally {
                workers.close();
            }
            workers.throwIfFailed();
        } finally {
            JniUtils.setNumThreads(threadsBefore);
        }
        PolicyVersion last = lastVersion(target);
        out.printf("replay: final policy version %d (step %d), sha256 %s; evaluation in %s%n", last.getVersion(), last.getStep(),
                last.getSha256(), evalCsv);
        out.flush();
        return new Result(published, trained.get(), last.getVersion(), last.getSha256(), Path.of(URI.create(last.getWeightsUri())), evalCsv);
    }

    static LearnerConfig learnerConfig(Settings settings, int steps, Path learnerDir) {
        TrainerConfig trainer = new TrainerConfig(new LossConfig(LearnerDefaults.EPS_LOW, LearnerDefaults.EPS_HIGH, settings.beta()),
                new AdamWConfig(settings.lr(), Math.min(LearnerDefaults.WARMUP_STEPS, steps / 2), 0.9, 0.999, 1e-8, 0.0,
                        LearnerDefaults.MAX_GRAD_NORM), LearnerDefaults.TEMPERATURE);
        return new LearnerConfig(settings.targetPrefix() + "learner", settings.estimator(), settings.groupsPerStep(),
                LearnerDefaults.MAX_STALENESS_STEPS, LearnerConfig.NO_VERSION_BOUND, settings.checkpointEvery(), false, learnerDir,
                settings.referencePolicy(), trainer, steps, LEARNER_IDLE_TIMEOUT, TaskVocabulary.MAX_COMPLETION_TOKENS, true);
    }

    /**
     * One PyTorch intra-op thread from now on (returns the count before). DJL reads {@code ai.djl.pytorch.num_threads} only
     * when the engine starts, which an earlier prepare step may have done already, so the count is set directly.
     */
    static int singleTorchThread() {
        Engine.getEngine("PyTorch");
        int before = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        if (before != 1) {
            log.info("replay: PyTorch intra-op threads {} -> 1 while the learner trains, for bit-identical replays", before);
        }
        return before;
    }


    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** The newest announcement on the target's policy-versions topic (one partition). */
    static PolicyVersion lastVersion(ClusterConfig target) {
        Topic<String, PolicyVersion> topic = target.topics().policyVersions();
        Map<String, Object> props = KafkaClients.consumer(target, "unused", target.topicNames().prefix() + "replay-result");
        props.remove("group.id");
        TreeMap<Long, PolicyVersion> byVersion = new TreeMap<>();
        try (KafkaConsumer<String, PolicyVersion> consumer = new KafkaConsumer<>(props, topic.keySerde().deserializer(),
                topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = KafkaClients.partitions(consumer, topic.name(), Duration.ofSeconds(30));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within a minute");
                }
                for (ConsumerRecord<String, PolicyVersion> r : consumer.poll(Duration.ofMillis(200))) {
                    byVersion.put(r.value().getVersion(), r.value());
                }
            }
        }
        if (byVersion.isEmpty()) {
            throw new IllegalStateException("no policy version was announced on " + topic.name());
        }
        return byVersion.lastEntry().getValue();
    }
}
