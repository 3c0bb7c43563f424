package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.learner.StepAssembler.Accepted;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.DeadLetteringDecoder;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.PollingWorker;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.platform.VersionCadence;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.training.NonFiniteStepException;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.StepResult;
import dev.gopo.policy.training.TrainingSequence;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.Topics;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learner loop: consume advantage groups, drop stale ones (in optimiser steps), reject groups that
 * claim a future policy or another sampling temperature ({@link GroupAdmission}), make one clipped policy update per
 * {@code groupsPerStep} groups, publish metrics, checkpoint and announce policy versions.
 *
 * <p>Threads: the <em>training thread</em> (the caller of {@link #run}) admits groups, assembles and trains steps and
 * owns all the learner's state. A <em>prefetch thread</em> ({@link GroupPrefetcher}) owns the consumer and polls and
 * decodes the next step's groups while a step trains, at most one step ahead. A <em>checkpoint thread</em>
 * ({@link CheckpointWriter}) writes checkpoints from a copy of the trainer state and announces their versions, and a
 * <em>metrics thread</em> publishes each step's metrics record and log line.
 *
 * <p>Position handling (ADR 0003): the consumer's position is owned by the checkpoint. At start-up
 * the consumer seeks to the checkpoint's offsets; when a step completes, every record the training
 * thread has taken so far is either in that step or was dead-lettered, so the step's end position is
 * the position after the last record taken (records prefetched but not yet taken do not count).
 * Only checkpointed positions survive a crash, together with the weights they produced.
 */
public final class Learner implements PollingWorker {
    private static final Logger log = LoggerFactory.getLogger(Learner.class);
    /** Skipped (non-finite) steps tolerated in a row before the learner stops: more means training diverges. */
    static final int MAX_NON_FINITE_IN_A_ROW = 3;

    private final LearnerConfig config;
    private final ClusterConfig cluster;
    private final Topics topics;
    private final Topic<String, AdvantageGroup> input;
    private final CheckpointStore checkpoints;
    private final RecordPublisher publisher;
    private final PolicyAnnouncer announcer;
    private final PolicyTrainer trainer;
    private final StepAssembler assembler;
    private final GroupAdmission admission;
    private final DeadLetteringDecoder<AdvantageGroup> decoder;
    private final CheckpointWriter checkpointWriter;
    /** Publishes each step's metrics record, gauges and log line off the training thread, in step order. */
    private final ExecutorService metricsThread;
    private Future<?> lastMetrics;
    /** The model's vocabulary and context, for {@link ModelFit} on the prefetch thread. */
    private final int vocabSize;
    private final int maxSeqLen;
    /** The Prometheus endpoint ({@code --metrics-port}); its gauges read the newest step's metrics. */
    private final MetricsEndpoint metricsEndpoint;

    private long policyVersion;
    private final Map<TopicPartition, Long> checkpointOffsets = new HashMap<>();
    private final Map<TopicPartition, Long> readPosition = new HashMap<>();
    private final Map<TopicPartition, Long> stepPosition = new HashMap<>();
    private final List<String> groupsSinceCheckpoint = new ArrayList<>();
    private long stepsSinceCheckpoint;
    private long staleDropped;
    private long futureRejected;
    private long temperatureRejected;
    private long overBudgetRejected;
    private long skippedSteps;
    private long recomputedSteps;
    private int nonFiniteInARow;
    private long lastStepEndNanos = System.nanoTime();
    /** Time the training thread waited for records since the previous step ({@code time/wait_ms}). */
    private long waitNanos;
    /** Replay: the newest policy step / version recorded on any group read so far, the "now" of the recorded run's clock. */
    private long recordedStepHighWater;
    private long recordedVersionHighWater;

    public Learner(LearnerConfig config, ClusterConfig cluster) throws IOException {
        this(config, cluster, MetricsEndpoint.off());
    }

    public Learner(LearnerConfig config, ClusterConfig cluster, MetricsEndpoint metricsEndpoint) throws IOException {
        this.metricsEndpoint = metricsEndpoint;
        this.config = config;
        this.cluster = cluster;
        this.topics = cluster.topics();
        this.input = topics.advantages(config.estimator().topicSuffix());
        this.checkpoints = new CheckpointStore(config.checkpointDir(), 2);
        this.assembler = new StepAssembler(config.groupsPerStep());
        this.admission = new GroupAdmission(config.maxStalenessSteps(), config.maxPolicyLag(), config.trainer().temperature(),
                config.lossNormaliser(), config.replay());
        VersionCadence cadence = config.cadence();
        if (config.replay()) {
            log.info("replay mode: groups carry the policy steps and versions of the recorded run, so the future-policy and "
                    + "staleness checks are off; lag metrics are on the recorded run's clock");
        } else if (cadence.isBelowSmallestBound(config.maxStalenessSteps())) {
            log.warn("{}, or use --announce-every-step", cadence.belowSmallestBoundMessage(config.maxStalenessSteps()));
        }
        Optional<Checkpoint> latest = checkpoints.latest();
        if (latest.isPresent()) {
            Checkpoint cp = latest.get();
            this.trainer = PolicyTrainer.load(cp.trainerDir(), config.trainer());
            this.policyVersion = cp.policyVersion();
            cp.offsets().forEach((tp, offset) -> checkpointOffsets.put(parse(tp), offset));
            log.info("restored checkpoint {} (step {}, policy version {}, offsets {})", cp.dir(), cp.step(), cp.policyVersion(), cp.offsets());
        } else {
            PolicyModel init = PolicyModel.load(config.initPolicyDir());
            this.trainer = PolicyTrainer.create(init, config.trainer());
            this.policyVersion = 0;
            log.info("starting from {} ({} parameters) as policy version 0", config.initPolicyDir(), init.parameterCount());
        }
        stepPosition.putAll(checkpointOffsets);
        this.publisher = new RecordPublisher(cluster, topics, "learner", config.learnerId());
        this.decoder = new DeadLetteringDecoder<>(input.valueSerde().deserializer(), publisher, cluster.registryTimeout());
        this.announcer = new PolicyAnnouncer(config.policiesDir(), publisher, topics, config.estimator().name());
        this.checkpointWriter = new CheckpointWriter(checkpoints, config.policiesDir(), announcer::announce,
                "learner-checkpoints-" + config.learnerId());
        this.metricsThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "learner-metrics-" + config.learnerId());
            t.setDaemon(true);
            return t;
        });
        this.vocabSize = trainer.policy().config().vocabSize();
        this.maxSeqLen = trainer.policy().config().maxSeqLen();
    }

    /**
     * A consumed record as the prefetch thread leaves it: decoded ({@code group} empty = undecodable, already
     * dead-lettered) and, for a group with completions, checked against the model ({@code misfit}) and turned into
     * training sequences ({@code inconsistency} says why it could not be). Admission waits for the training thread.
     */
    record Prefetched(ConsumerRecord<String, byte[]> record, Optional<AdvantageGroup> group, Optional<String> misfit,
                      List<TrainingSequence> sequences, String inconsistency) {}

    /** The prefetch thread's work on one record: everything that does not depend on the training thread's state. */
    private Prefetched prepare(ConsumerRecord<String, byte[]> record) {
        Optional<AdvantageGroup> decoded = decoder.decode(record);
        if (decoded.isEmpty() || decoded.get().getCompletions().isEmpty()) {
            return new Prefetched(record, decoded, Optional.empty(), List.of(), null);
        }
        AdvantageGroup group = decoded.get();
        Optional<String> misfit = ModelFit.check(group, vocabSize, maxSeqLen);
        if (misfit.isPresent()) {
            return new Prefetched(record, decoded, misfit, List.of(), null);
        }
        try {
            return new Prefetched(record, decoded, misfit, StepAssembler.sequences(List.of(group)), null);
        } catch (IllegalArgumentException e) {
            return new Prefetched(record, decoded, misfit, List.of(), "group " + group.getGroupId() + ": " + e.getMessage());
        }
    }

    private static TopicPartition parse(String tp) {
        int dash = tp.lastIndexOf('-');
        return new TopicPartition(tp.substring(0, dash), Integer.parseInt(tp.substring(dash + 1)));
    }

    public long policyVersion() {
        return policyVersion;
    }

    public long steps() {
        return trainer.steps();
    }

    public long staleDropped() {
        return staleDropped;
    }

    /** Groups dead-lettered because a completion claimed a version or step this learner has not reached. */
    public long futureRejected() {
        return futureRejected;
    }

    /** Groups dead-lettered because they were sampled at another temperature than the learner's. */
    public long temperatureRejected() {
        return temperatureRejected;
    }

    /** Groups dead-lettered because a completion is longer than the Dr. GRPO generation budget ({@code --max-completion-tokens}). */
    public long overBudgetRejected() {
        return overBudgetRejected;
    }

    /** Runs until {@code stop} is set, {@code maxSteps} is reached or the idle timeout passes; then checkpoints. */
    public void run(AtomicBoolean stop) throws IOException {
        decoder.stopWaitingWhen(stop::get);
        KafkaClients.ensureTopics(cluster, List.of(input.name(), topics.names().metrics(), topics.names().deadLetters()), 4);
        // One partition: readers see versions in the order they were announced.
        KafkaClients.ensureTopics(cluster, List.of(topics.names().policyVersions()), 1);
        // (Re-)announce the version we start from, so generators that missed it can catch up.
        announcer.announce(policyVersion, trainer.steps(), announcer.save(trainer.policy(), policyVersion));
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(cluster, config.learnerId(), config.learnerId()), new StringDeserializer(), new ByteArrayDeserializer());
             MetricsEndpoint.Binding clientMetrics = metricsEndpoint.bindKafka(consumer, publisher)) {
            assignAndSeek(consumer);
            try (GroupPrefetcher<Prefetched> prefetch = new GroupPrefetcher<>(source(consumer), this::prepare, config.groupsPerStep(),
                    "learner-prefetch-" + config.learnerId())) {
                decoder.stopWaitingWhen(() -> stop.get() || prefetch.isClosing());
                prefetch.start();
                consume(prefetch, stop);
            }
            // the prefetch thread has ended: the consumer is this thread's again
            boolean lastCheckpoint = stepsSinceCheckpoint > 0;
            if (lastCheckpoint) {
                checkpoint();
            }
            checkpointWriter.await();
            if (lastCheckpoint) {
                commitForMonitoring(consumer);
            }
        }
        awaitMetrics();
        publisher.flush();
        log.info("learner stopped at step {}, policy version {}; {} stale groups dropped, {} future-claiming and {} "
                + "temperature-mismatched and {} over-budget groups rejected, {} steps recomputed, {} non-finite steps skipped, {} dead letters",
                trainer.steps(), policyVersion, staleDropped, futureRejected, temperatureRejected, overBudgetRejected, recomputedSteps, skippedSteps,
                publisher.deadLetterCount());
    }

    /** Takes prefetched records in poll order and handles them until stopped, at the step limit or idle. */
    private void consume(GroupPrefetcher<Prefetched> prefetch, AtomicBoolean stop) throws IOException {
        long lastRecordNanos = System.nanoTime();
        try {
            while (!stop.get() && !maxStepsReached()) {
                long waitStart = System.nanoTime();
                Optional<Prefetched> next = prefetch.next(Duration.ofMillis(200));
                waitNanos += System.nanoTime() - waitStart;
                if (next.isEmpty()) {
                    if (!config.idleTimeout().isZero() && System.nanoTime() - lastRecordNanos > config.idleTimeout().toNanos()) {
                        log.info("no advantage groups for {} s: stopping (idle timeout)", config.idleTimeout().toSeconds());
                        return;
                    }
                    continue;
                }
                lastRecordNanos = System.nanoTime();
                process(next.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for advantage groups");
        }
    }

    private static GroupPrefetcher.Source source(KafkaConsumer<String, byte[]> consumer) {
        return new GroupPrefetcher.Source() {
            @Override
            public Iterable<ConsumerRecord<String, byte[]>> poll(Duration timeout) {
                return consumer.poll(timeout);
            }

            @Override
            public void wakeup() {
                consumer.wakeup();
            }
        };
    }

    private boolean maxStepsReached() {
        return config.maxSteps() > 0 && trainer.steps() >= config.maxSteps();
    }

    private void process(Prefetched prefetched) throws IOException {
        ConsumerRecord<String, byte[]> record = prefetched.record();
        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
        readPosition.put(tp, record.offset() + 1);
        if (prefetched.group().isEmpty()) {
            return;
        }
        AdvantageGroup group = prefetched.group().get();
        if (group.getCompletions().isEmpty()) {
            publisher.deadLetter(record, DeadLetterReason.INCONSISTENT_RECORD, "advantage group " + group.getGroupId() + " has no completions");
            return;
        }
        if (config.replay()) {
            group.getCompletions().forEach(c -> {
                recordedStepHighWater = Math.max(recordedStepHighWater, c.getPolicyStep());
                recordedVersionHighWater = Math.max(recordedVersionHighWater, c.getPolicyVersion());
            });
        }
        Optional<GroupAdmission.Refusal> refusal = admission.check(group, trainer.steps(), policyVersion);
        if (refusal.isPresent()) {
            switch (refusal.get().reason()) {
                case STALE_POLICY -> staleDropped++;
                case FUTURE_POLICY -> futureRejected++;
                case TEMPERATURE_MISMATCH -> temperatureRejected++;
                case INCONSISTENT_RECORD -> overBudgetRejected++;
                default -> throw new IllegalStateException("unexpected admission refusal " + refusal.get().reason());
            }
            publisher.deadLetter(record, refusal.get().reason(), refusal.get().detail());
            return;
        }
        if (prefetched.misfit().isPresent()) {
            publisher.deadLetter(record, DeadLetterReason.MODEL_MISMATCH, prefetched.misfit().get());
            return;
        }
        if (prefetched.inconsistency() != null) {
            publisher.deadLetter(record, DeadLetterReason.INCONSISTENT_RECORD, prefetched.inconsistency());
            return;
        }
        if (prefetched.sequences().isEmpty()) {
            return;
        }
        Optional<List<Accepted>> step = assembler.add(new Accepted(group, record, prefetched.sequences()));
        if (step.isPresent()) {
            train(step.get());
        }
    }

    private void train(List<Accepted> step) throws IOException {
        List<AdvantageGroup> groups = step.stream().map(Accepted::group).toList();
        // the lag of the weights this step updates (trainer.steps() updates so far), measured before the update; in replay
        // the recorded steps count another learner's updates, so the lag is measured on that run's clock instead
        long lagStep = config.replay() ? recordedStepHighWater : trainer.steps();
        long lagVersion = config.replay() ? recordedVersionHighWater : policyVersion;
        List<Long> stepLags = groups.stream().map(g -> GroupAdmission.stepLag(g, lagStep)).toList();
        List<Long> versionLags = groups.stream().map(g -> GroupAdmission.versionLag(g, lagVersion)).toList();
        checkpointWriter.throwIfFailed();
        double waitMs = waitNanos / 1e6;
        waitNanos = 0;
        StepResult result;
        long computeStart = System.nanoTime();
        try {
            result = trainer.step(StepAssembler.sequencesOf(step), config.lossNormaliser());
        } catch (NonFiniteStepException e) {
            skip(step, e);
            return;
        }
        double computeMs = (System.nanoTime() - computeStart) / 1e6;
        nonFiniteInARow = 0;
        if (result.recomputed()) {
            recomputedSteps++;
            // Expected 0 since the freed-scalar bug was fixed: the same inputs must give the same step, so a finite
            // recomputation means some state changed between the attempts (a (Number) scalar, an array closed early).
            log.error("step {}: the first attempt had a non-finite loss or gradient norm but the recomputation from the same "
                    + "inputs is finite (grad/norm {}): the same batch gave two different steps, which must not happen (expected "
                    + "0 since the freed-scalar bug was fixed, policy README \"Scalars and autograd\"). Please report it with this "
                    + "log; {} such steps so far", result.step(), String.format(Locale.ROOT, "%.3f", result.gradNorm()), recomputedSteps);
        }
        long now = System.nanoTime();
        double wallSeconds = (now - lastStepEndNanos) / 1e9;
        lastStepEndNanos = now;
        stepPosition.putAll(readPosition);
        groups.forEach(g -> groupsSinceCheckpoint.add(g.getGroupId()));
        stepsSinceCheckpoint++;
        if (config.announceEveryStep()) {
            policyVersion++;
            announcer.announce(policyVersion, result.step(), announcer.save(trainer.policy(), policyVersion));
        }
        Map<String, Double> metrics = StepMetrics.of(result, stepLags, versionLags, staleDropped, futureRejected, temperatureRejected,
                recomputedSteps, skippedSteps, publisher.deadLetterCount(), wallSeconds, groups);
        metrics.putAll(StepMetrics.times(waitMs, computeMs));
        publishMetrics(result, metrics, policyVersion, System.currentTimeMillis());
        if (stepsSinceCheckpoint >= config.checkpointEvery()) {
            checkpoint();
        }
    }

    /**
     * Hands a step's metrics (record, gauges, log line) to the metrics thread. The values and the timestamp are taken
     * here, at the end of the step; a send can block (serialisation, waiting for topic metadata or buffer space), so it
     * happens there. Records keep step order (one thread); a failed hand-off before is thrown here.
     */
    private void publishMetrics(StepResult result, Map<String, Double> metrics, long version, long timestampMs) {
        throwIfMetricsFailed(false);
        lastMetrics = metricsThread.submit(() -> {
            publisher.send(topics.metrics(), config.learnerId(), TrainingMetrics.newBuilder().setLearnerId(config.learnerId())
                    .setStep(result.step()).setPolicyVersion(version).setMetrics(metrics).setTimestampMs(timestampMs).build());
            metricsEndpoint.latest(StepMetrics.forScrapers(metrics, result.step(), version));
            log.info(String.format(Locale.ROOT, "step %d: loss/policy %.4f loss/kl %.5f ratio/mean %.4f clip %.3f grad/norm %.3f lag %.1f steps "
                            + "(max %.0f) tokens/s %.0f (%d ms; waited %.0f ms for groups)",
                    result.step(), result.policyLoss(), result.kl(), result.ratioMean(), result.clipFraction(), result.gradNorm(),
                    metrics.get("lag/optimizer_steps"), metrics.get("lag/optimizer_steps_max"), metrics.get("throughput/tokens_per_s"),
                    result.stepMillis(), metrics.get("time/wait_ms")));
        });
    }

    /** Waits for the metrics of every step so far to be handed to the producer. */
    private void awaitMetrics() {
        throwIfMetricsFailed(true);
    }

    private void throwIfMetricsFailed(boolean wait) {
        Future<?> last = lastMetrics;
        if (last == null || (!wait && !last.isDone())) {
            return;
        }
        try {
            last.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot publish the step metrics to " + topics.names().metrics() + ": " + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /**
     * Skips a step whose update is non-finite even when recomputed ({@code GradientStep}): its groups go to the dead-letter
     * topic (coordinates, bytes and reason, so they can be inspected and replayed) and the learner
     * reads on. Several such steps in a row mean training diverges, and the learner stops.
     */
    private void skip(List<Accepted> step, NonFiniteStepException e) {
        skippedSteps++;
        nonFiniteInARow++;
        String ids = step.stream().map(a -> a.group().getGroupId()).collect(Collectors.joining(", "));
        for (Accepted a : step) {
            publisher.deadLetter(a.record(), DeadLetterReason.NON_FINITE_UPDATE,
                    "step " + (trainer.steps() + 1) + " of groups [" + ids + "] skipped: " + e.getMessage());
        }
        stepPosition.putAll(readPosition);
        if (nonFiniteInARow > MAX_NON_FINITE_IN_A_ROW) {
            throw new IllegalStateException(nonFiniteInARow + " steps in a row had a non-finite loss or gradient norm: training "
                    + "diverges. Lower --lr or check the advantages and behaviour log-probs on " + input.name()
                    + "; the last checkpoint is intact and a restart resumes from it");
        }
    }

    /**
     * Copies the trainer state with the offsets and ledger of exactly the steps in it, and hands them to the checkpoint
     * thread ({@link CheckpointWriter}: written, then {@code LATEST} switched, then the version announced). Training goes
     * on meanwhile. The version counts as this learner's at once, so admission never sees an announced version above it.
     */
    private void checkpoint() throws IOException {
        boolean announceNow = !config.announceEveryStep();
        long version = announceNow ? policyVersion + 1 : policyVersion;
        Map<String, Long> offsets = new HashMap<>();
        stepPosition.forEach((tp, o) -> offsets.put(tp.toString(), o));
        PolicyTrainer.Snapshot snapshot = trainer.snapshot();
        checkpointWriter.submit(new CheckpointWriter.Job(trainer.steps(), version, announceNow, offsets, groupsSinceCheckpoint,
                new CheckpointWriter.State() {
                    @Override
                    public void save(Path trainerDir) throws IOException {
                        snapshot.save(trainerDir);
                    }

                    @Override
                    public String savePolicy(Path dir) throws IOException {
                        return snapshot.policy().save(dir);
                    }

                    @Override
                    public void close() {
                        snapshot.close();
                    }
                }));
        policyVersion = version;
        checkpointOffsets.clear();
        checkpointOffsets.putAll(stepPosition);
        groupsSinceCheckpoint.clear();
        stepsSinceCheckpoint = 0;
    }

    private void commitForMonitoring(KafkaConsumer<String, byte[]> consumer) {
        Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
        checkpointOffsets.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
        try {
            consumer.commitSync(commit);
        } catch (RuntimeException e) {
            log.warn("could not commit offsets for monitoring (the checkpoint is authoritative): {}", e.toString());
        }
    }

    /**
     * The learner is the only reader of its advantages topic, so it assigns itself every partition
     * instead of joining a consumer group: no rebalance can move its position, and a restarted
     * learner does not wait for the session of its killed predecessor to expire.
     */
    private void assignAndSeek(KafkaConsumer<String, byte[]> consumer) {
        List<TopicPartition> partitions = KafkaClients.partitions(consumer, input.name(), Duration.ofSeconds(30));
        consumer.assign(partitions);
        for (TopicPartition tp : partitions) {
            Long offset = stepPosition.get(tp);
            if (offset != null) {
                consumer.seek(tp, offset);
            } else {
                consumer.seekToBeginning(List.of(tp));
            }
        }
        log.info("reading {} partitions of {} from {}", partitions.size(), input.name(), stepPosition.isEmpty() ? "the beginning" : stepPosition);
    }

    @Override
    public void close() {
        try {
            checkpointWriter.close();
            metricsThread.shutdown();
            metricsThread.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                publisher.close();
            } finally {
                trainer.close();
            }
        }
    }
}
