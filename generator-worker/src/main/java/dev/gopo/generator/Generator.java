package dev.gopo.generator;

import dev.gopo.avro.Completion;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.Prompt;
import dev.gopo.platform.PollingWorker;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.DeadLetteringDecoder;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SampledCompletion;
import dev.gopo.policy.sampling.Sampler;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.schemas.topic.Topics;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.reward.RewardModels;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The generator loop: one member of a consumer group on {@code prompts}; for each prompt it samples
 * G completions with the current policy (KV cache), records behaviour log-probs (of the distribution
 * actually sampled), policy version and optimiser step, sampling temperature and its id, optionally scores them inline, and publishes them keyed by group id.
 *
 * <p>Batching: it samples the groups of up to {@link GeneratorConfig#promptsPerBatch()} prompts of a poll
 * batch in one batched forward pass per decoding step ({@link Sampler#sampleGroups}), never more groups
 * than the step budget or {@code maxGroupsPerVersion} still allow. Each row draws from its own random
 * stream, so with the same seed the groups are those sampled one prompt at a time.
 *
 * <p>Delivery: a batch's prompt offsets are committed only after its completions are acknowledged, so a
 * crash re-samples the prompts in flight; the group id is derived from the prompt's coordinates, so the ranker
 * drops the second copy (same group id and index) as a duplicate.
 *
 * <p>Hot swap: between batches it reads {@code policy-versions}; a newer version replaces the
 * policy once its weights load and match the announced SHA-256.
 *
 * <p>Backpressure: it pauses the prompt partitions (still polling, so it keeps its group membership)
 * while its {@link StepBudget} is used up (its share of the groups the learner can still train on
 * within its staleness bound, counted from the newest announced step) or after
 * {@code maxGroupsPerVersion} groups with one version, until a newer version arrives.
 * {@link #pausedNanos()} adds up how long it was held.
 */
public final class Generator implements PollingWorker {
    private static final Logger log = LoggerFactory.getLogger(Generator.class);

    private final GeneratorConfig config;
    private final ClusterConfig cluster;
    private final Topics topics;
    private final RecordPublisher publisher;
    private final CurrentPolicy policy;
    private final RewardModels rewards;
    private final Sampler sampler = new Sampler();
    private final DeadLetteringDecoder<Prompt> promptDecoder;
    private final DeadLetteringDecoder<PolicyVersion> versionDecoder;
    private final GeneratorMetrics metrics;

    private long groupsWithCurrentVersion;
    private long prompts;
    private long groups;
    /** Sampling calls (batched forward passes over a whole batch of groups). */
    private long batches;
    private boolean paused;
    /** Prompt polls begun while backpressure held; read by other threads. */
    private final AtomicLong pausedPolls = new AtomicLong();
    private final StepBudget.Ledger budget;
    /** Guards the two pause clocks below, which other threads read through {@link #pausedNanos()}. */
    private final Object pauseClock = new Object();
    /** Nanoseconds of the pauses that are over. */
    private long pausedNanosDone;
    /** {@link System#nanoTime()} when the current pause began, or {@link Long#MIN_VALUE} when not paused. */
    private long pausedSince = Long.MIN_VALUE;

    public Generator(GeneratorConfig config, ClusterConfig cluster) throws IOException {
        this(config, cluster, MetricsEndpoint.off());
    }

    /** A generator whose metrics ({@link GeneratorMetrics}) are served on {@code endpoint} ({@code --metrics-port}). */
    public Generator(GeneratorConfig config, ClusterConfig cluster, MetricsEndpoint endpoint) throws IOException {
        this.metrics = new GeneratorMetrics(endpoint);
        this.config = config;
        this.cluster = cluster;
        this.topics = cluster.topics();
        PolicyModel initial = PolicyModel.load(config.initPolicyDir());
        this.policy = new CurrentPolicy(initial, 0, 0);
        this.budget = new StepBudget.Ledger(config.stepBudget(), 0);
        RewardModels loaded = null;
        try {
            loaded = config.rewardMode() == RewardMode.INLINE ? RewardModels.load(config.rewardModels()) : null;
            this.publisher = new RecordPublisher(cluster, topics, "generator", config.generatorId());
        } catch (IOException | RuntimeException e) {
            policy.close();
            if (loaded != null) {
                loaded.close();
            }
            throw e;
        }
        this.rewards = loaded;
        this.promptDecoder = new DeadLetteringDecoder<>(topics.prompts().valueSerde().deserializer(), publisher, cluster.registryTimeout());
        this.versionDecoder = new DeadLetteringDecoder<>(topics.policyVersions().valueSerde().deserializer(), publisher, cluster.registryTimeout());
    }

    public long policyVersion() {
        return policy.version();
    }

    public long groups() {
        return groups;
    }

    /** How many sampling calls the groups took: {@link #groups()} with one prompt per batch, fewer with more. */
    public long batches() {
        return batches;
    }

    public boolean isPaused() {
        return paused;
    }

    /**
     * How many times the run loop has gone round while backpressure held. The loop generates only after its poll, so
     * once this has grown by two, one whole paused round (poll and any generation) is over: an observer can tell "still
     * paused, and nothing generated meanwhile" without waiting a guessed time.
     */
    public long pausedPolls() {
        return pausedPolls.get();
    }

    /**
     * Cumulative nanoseconds the prompt consumer has been paused by backpressure (step budget or
     * {@code maxGroupsPerVersion}), the current pause included; safe to read from any thread.
     */
    public long pausedNanos() {
        synchronized (pauseClock) {
            return pausedNanosDone + (pausedSince == Long.MIN_VALUE ? 0 : Math.max(0, System.nanoTime() - pausedSince));
        }
    }

    private void pauseClock(boolean start) {
        synchronized (pauseClock) {
            if (start && pausedSince == Long.MIN_VALUE) {
                pausedSince = System.nanoTime();
            } else if (!start && pausedSince != Long.MIN_VALUE) {
                pausedNanosDone += Math.max(0, System.nanoTime() - pausedSince);
                pausedSince = Long.MIN_VALUE;
            }
        }
    }

    /** Runs until {@code stop}, {@code maxPrompts} or the idle timeout. */
    public void run(AtomicBoolean stop) {
        metrics.watch(this);
        promptDecoder.stopWaitingWhen(stop::get);
        versionDecoder.stopWaitingWhen(stop::get);
        KafkaClients.ensureTopics(cluster, List.of(topics.names().prompts(), topics.names().completions(), topics.names().deadLetters()), 4);
        KafkaClients.ensureTopics(cluster, List.of(topics.names().policyVersions()), 1);
        try (KafkaConsumer<String, byte[]> promptConsumer = new KafkaConsumer<>(
                KafkaClients.consumer(cluster, config.groupId(), config.generatorId()), new StringDeserializer(), new ByteArrayDeserializer());
             KafkaConsumer<String, byte[]> versionConsumer = new KafkaConsumer<>(
                KafkaClients.consumer(cluster, config.generatorId() + "-versions", config.generatorId() + "-versions"),
                new StringDeserializer(), new ByteArrayDeserializer());
             MetricsEndpoint.Binding clientMetrics = metrics.bindClients(promptConsumer, versionConsumer, publisher)) {
            List<TopicPartition> versionPartitions = KafkaClients.partitions(versionConsumer, topics.names().policyVersions(), Duration.ofSeconds(30));
            versionConsumer.assign(versionPartitions);
            versionConsumer.seekToBeginning(versionPartitions);
            promptConsumer.subscribe(List.of(topics.names().prompts()), new ResumeOnAssign(promptConsumer));
            long lastPromptNanos = System.nanoTime();
            while (!stop.get() && !maxPromptsReached()) {
                checkVersions(versionConsumer, Duration.ZERO);
                applyBackpressure(promptConsumer);
                if (paused) {
                    pausedPolls.incrementAndGet();
                }
                ConsumerRecords<String, byte[]> records = promptConsumer.poll(Duration.ofMillis(paused ? 500 : 200));
                if (records.isEmpty()) {
                    if (!paused && !config.idleTimeout().isZero() && System.nanoTime() - lastPromptNanos > config.idleTimeout().toNanos()) {
                        log.info("no prompts for {} s: stopping (idle timeout)", config.idleTimeout().toSeconds());
                        break;
                    }
                    continue;
                }
                lastPromptNanos = System.nanoTime();
                sampleRecords(records, promptConsumer, versionConsumer, stop);
            }
        } finally {
            pauseClock(false); // the consumer is closed: no longer paused
        }
        publisher.flush();
        log.info("generator {} stopped: {} prompts, {} groups, policy version {}, {} dead letters",
                config.generatorId(), prompts, groups, policy.version(), publisher.deadLetterCount());
    }

    /**
     * Samples the records of one poll batch, the groups of up to {@link #batchCapacity} prompts per call of
     * {@link Sampler#sampleGroups} (one batched forward pass per decoding step). Records that fail decoding or validation are
     * dead-lettered and take no place in a batch. After each batch its groups and dead letters are flushed and then the
     * batch's offsets committed, per partition: a crash re-samples at most the batch in flight (its group ids are derived
     * from the prompt coordinates, so the ranker drops the second copies). Between batches it reads policy versions (hot
     * swap) and stops taking records once {@link #mustYield} holds; the records not taken are re-read later.
     */
    private void sampleRecords(ConsumerRecords<String, byte[]> records, KafkaConsumer<String, byte[]> promptConsumer,
                               KafkaConsumer<String, byte[]> versionConsumer, AtomicBoolean stop) {
        List<ConsumerRecord<String, byte[]>> all = new ArrayList<>(records.count());
        for (TopicPartition tp : records.partitions()) {
            all.addAll(records.records(tp));
        }
        int next = 0;
        while (next < all.size()) {
            if (mustYield(stop)) {
                seekToFirstNotTaken(promptConsumer, all, next);
                return;
            }
            long capacity = batchCapacity(config.promptsPerBatch(), budget.allowance() - groups,
                    config.maxGroupsPerVersion() > 0 ? config.maxGroupsPerVersion() - groupsWithCurrentVersion : Long.MAX_VALUE);
            PolicyModel model = policy.model();
            List<Pending> batch = new ArrayList<>();
            Map<TopicPartition, OffsetAndMetadata> taken = new HashMap<>();
            while (next < all.size() && batch.size() < capacity && !maxPromptsReached() && !stop.get()) {
                ConsumerRecord<String, byte[]> record = all.get(next++);
                prepare(record, model).ifPresent(batch::add);
                prompts++;
                taken.put(new TopicPartition(record.topic(), record.partition()), new OffsetAndMetadata(record.offset() + 1));
            }
            if (!batch.isEmpty()) {
                sample(batch, model);
            }
            publisher.flush();
            if (!taken.isEmpty()) {
                promptConsumer.commitSync(taken);
            }
            checkVersions(versionConsumer, Duration.ZERO);
        }
    }

    /**
     * How many prompts the next batch may take: at most {@code promptsPerBatch}, and no more groups than the step budget
     * ({@code budgetLeft} = allowance minus groups sampled) and {@code maxGroupsPerVersion} ({@code versionLeft}) still allow.
     */
    static long batchCapacity(int promptsPerBatch, long budgetLeft, long versionLeft) {
        return Math.max(0, Math.min(promptsPerBatch, Math.min(budgetLeft, versionLeft)));
    }

    /** Seeks each partition of the poll batch with records not taken to its first such record (re-read after resuming). */
    private static void seekToFirstNotTaken(KafkaConsumer<String, byte[]> consumer, List<ConsumerRecord<String, byte[]>> all, int from) {
        Set<TopicPartition> seeked = new HashSet<>();
        for (int i = from; i < all.size(); i++) {
            ConsumerRecord<String, byte[]> record = all.get(i);
            TopicPartition tp = new TopicPartition(record.topic(), record.partition());
            if (seeked.add(tp)) {
                consumer.seek(tp, record.offset());
            }
        }
    }

    private boolean maxPromptsReached() {
        return config.maxPrompts() > 0 && prompts >= config.maxPrompts();
    }

    /** Whether to stop taking records from the current poll batch (the rest are re-read later). */
    private boolean mustYield(AtomicBoolean stop) {
        return stop.get() || maxPromptsReached() || backpressured();
    }

    private boolean backpressured() {
        return config.maxGroupsPerVersion() > 0 && groupsWithCurrentVersion >= config.maxGroupsPerVersion() || budget.exhausted(groups);
    }

    private void applyBackpressure(KafkaConsumer<String, byte[]> consumer) {
        if (budget.grantIfStalled(groups, System.nanoTime())) {
            log.warn("step budget used up ({} groups) and no newer policy version than step {} for {} s: the learner is short of groups "
                            + "(dead-lettered or dropped as stale ones never reach it); granting one more step of groups (allowance now {}, "
                            + "{} steps granted)", groups, policy.step(), budget.stallThresholdNanos() / 1_000_000_000L, budget.allowance(),
                    budget.grantedSteps());
        }
        boolean shouldPause = backpressured();
        if (shouldPause && !paused) {
            consumer.pause(consumer.assignment());
            paused = true;
            pauseClock(true);
            log.info("backpressure: {} groups sampled with policy version {} (step {}), {} in all of a step budget of {}; pausing until "
                            + "the learner announces a newer version", groupsWithCurrentVersion, policy.version(), policy.step(), groups,
                    budget.allowance() == Long.MAX_VALUE ? "-" : Long.toString(budget.allowance()));
        } else if (!shouldPause && paused) {
            consumer.resume(consumer.paused());
            paused = false;
            pauseClock(false);
            log.info("resuming with policy version {}", policy.version());
        } else if (paused) {
            consumer.pause(consumer.assignment());
        }
    }

    private void checkVersions(KafkaConsumer<String, byte[]> consumer, Duration timeout) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(timeout)) {
            Optional<PolicyVersion> decoded = versionDecoder.decode(record);
            if (decoded.isEmpty()) {
                continue;
            }
            PolicyVersion announced = decoded.get();
            try {
                if (policy.offer(announced)) {
                    groupsWithCurrentVersion = 0;
                    budget.announced(policy.step(), groups);
                }
            } catch (CurrentPolicy.SwapRefused e) {
                publisher.deadLetter(record, e.missing ? DeadLetterReason.WEIGHTS_MISSING : DeadLetterReason.WEIGHTS_HASH_MISMATCH,
                        e.getMessage() + "; still sampling with version " + policy.version());
            }
        }
    }

    /** A decoded, validated prompt in the batch being built; {@code sampling} carries its own seed. */
    private record Pending(ConsumerRecord<String, byte[]> record, Prompt prompt, int[] promptTokens, SamplingConfig sampling) {
    }

    /** Decodes and validates a prompt record; dead-letters it (and returns empty) when it cannot be sampled. */
    private Optional<Pending> prepare(ConsumerRecord<String, byte[]> record, PolicyModel model) {
        Optional<Prompt> decoded = promptDecoder.decode(record);
        if (decoded.isEmpty()) {
            return Optional.empty();
        }
        Prompt prompt = decoded.get();
        if (!TaskRegistry.names().contains(prompt.getTask())) {
            publisher.deadLetter(record, DeadLetterReason.UNKNOWN_TASK, "prompt " + prompt.getPromptId() + " is for unknown task '"
                    + prompt.getTask() + "'; known tasks: " + TaskRegistry.names());
            return Optional.empty();
        }
        if (rewards != null && !rewards.covers(prompt.getTask())) {
            publisher.deadLetter(record, DeadLetterReason.UNKNOWN_TASK, "no reward model loaded for task '" + prompt.getTask()
                    + "' (inline rewards); run 'gopo prepare' for it or use --reward-mode EXTERNAL");
            return Optional.empty();
        }
        if (prompt.getText() == null || prompt.getText().isBlank()) {
            // Encoding gives just BOS SEP, which the sampler would happily continue: a group about nothing.
            publisher.deadLetter(record, DeadLetterReason.INVALID_PROMPT, "prompt " + prompt.getPromptId()
                    + " is empty (no text to sample a completion for); write the prompt text in the 'text' field");
            return Optional.empty();
        }
        int[] promptTokens;
        try {
            promptTokens = model.tokenizer().encodePrompt(prompt.getText());
        } catch (IllegalArgumentException e) {
            publisher.deadLetter(record, DeadLetterReason.INVALID_PROMPT, "prompt " + prompt.getPromptId() + ": " + e.getMessage());
            return Optional.empty();
        }
        // Only the seed depends on the prompt (its coordinates), so any prompts, whatever their task, can share a batch:
        // Sampler.sampleGroups needs configs that differ in their seeds only.
        SamplingConfig sampling = config.sampling().withSeed(config.sampling().seed() ^ (31L * record.offset() + record.partition()));
        try {
            Sampler.validatePrompt(model, promptTokens, sampling);
        } catch (IllegalArgumentException e) {
            publisher.deadLetter(record, DeadLetterReason.PROMPT_TOO_LONG, "prompt " + prompt.getPromptId() + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new Pending(record, prompt, promptTokens, sampling));
    }

    /**
     * Samples the batch's groups in one batched pass ({@link Sampler#sampleGroups}; a batch of one uses
     * {@link Sampler#sampleGroup}), and publishes each. Each row keeps its own random stream, so the groups are those one
     * prompt at a time would give: the same tokens, log-probs equal to float rounding.
     */
    private void sample(List<Pending> batch, PolicyModel model) {
        List<List<SampledCompletion>> sampled = batch.size() == 1
                ? List.of(sampler.sampleGroup(model, batch.get(0).promptTokens(), config.groupSize(), batch.get(0).sampling()))
                : sampler.sampleGroups(model, batch.stream().map(Pending::promptTokens).toList(), config.groupSize(),
                        batch.stream().map(Pending::sampling).toList());
        batches++;
        for (int p = 0; p < batch.size(); p++) {
            publish(batch.get(p), sampled.get(p), model);
        }
    }

    private void publish(Pending pending, List<SampledCompletion> samples, PolicyModel model) {
        Prompt prompt = pending.prompt();
        ConsumerRecord<String, byte[]> record = pending.record();
        double[] scores = null;
        if (rewards != null) {
            List<String> texts = samples.stream().map(s -> model.tokenizer().decode(s.tokens())).toList();
            scores = rewards.scoreGroup(prompt.getTask(), prompt.getText(), texts);
        }
        String groupId = CompletionGroup.groupId(prompt.getPromptId(), record.topic(), record.partition(), record.offset());
        for (Completion c : CompletionGroup.build(groupId, prompt.getPromptId(), prompt.getTask(), pending.promptTokens(), samples, scores,
                policy.version(), policy.step(), pending.sampling().temperature(), config.generatorId(), model.tokenizer())) {
            publisher.send(topics.completions(), groupId, c);
        }
        groups++;
        groupsWithCurrentVersion++;
        metrics.groupPublished(samples);
        if (groups % 50 == 0) {
            log.info("{} groups published (policy version {}, {} dead letters)", groups, policy.version(), publisher.deadLetterCount());
        }
    }

    /** Keeps newly assigned partitions paused while backpressure holds. */
    private final class ResumeOnAssign implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> consumer;

        ResumeOnAssign(KafkaConsumer<String, byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            publisher.flush();
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            log.info("generator {} assigned {}", config.generatorId(), partitions);
            if (paused) {
                consumer.pause(partitions);
            }
        }
    }

    @Override
    public void close() {
        try {
            publisher.close();
        } finally {
            try {
                policy.close();
            } finally {
                if (rewards != null) {
                    rewards.close();
                }
            }
        }
    }
}
