package dev.gopo.evaluator;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.platform.PollingWorker;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.DeadLetteringDecoder;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.policy.PolicyModel;
import dev.gopo.schemas.topic.Topics;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.reward.RewardModels;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The evaluator loop: read every announced policy version from the beginning of policy-versions,
 * verify and load its weights, evaluate it on each task, publish an {@link EvaluationResult} per
 * task (key {@code task:version}) and append a CSV row.
 *
 * <p>Idempotence: a (task, version) already on eval-results or in the CSV is not evaluated again,
 * so restarts and re-announcements (the learner re-announces the version it starts from) cost
 * nothing. The result is published before the CSV row is written; results found on eval-results
 * but missing from the CSV are appended at start-up, so the CSV converges to the topic.
 *
 * <p>Bad announcements (undecodable, weights missing, hash mismatch, unusable model) are
 * dead-lettered and the loop goes on with the next version.
 */
public final class Evaluator implements PollingWorker {
    private static final Logger log = LoggerFactory.getLogger(Evaluator.class);
    static final String WORKER = "evaluator";

    private final EvaluatorConfig config;
    private final ClusterConfig cluster;
    private final Topics topics;
    private final EvalCsv csv;
    private final RewardModels rewardModels;
    private final List<TaskEvaluator> evaluators = new ArrayList<>();
    private final RecordPublisher publisher;
    private final MetricsEndpoint endpoint;
    private final Set<String> done = new HashSet<>();
    // Read by other threads (e.g. 'gopo run' waits for the evaluator to catch up), written only by the loop.
    private final AtomicLong evaluatedVersions = new AtomicLong();
    private final AtomicLong handledAnnouncements = new AtomicLong();

    /**
     * Loads the reward models and the reference policy and samples the reference completions of
     * every task (once; they are kept in memory).
     *
     * @throws IOException when the reference policy or a reward model cannot be loaded
     */
    public Evaluator(EvaluatorConfig config, ClusterConfig cluster) throws IOException {
        this(config, cluster, MetricsEndpoint.off());
    }

    /**
     * An evaluator whose metrics are served on {@code endpoint} ({@code --metrics-port}):
     * {@code gopo_evaluator_versions_evaluated_total}, {@code gopo_evaluator_announcements_total} (handled, evaluated
     * or skipped) and the Kafka clients' own metrics.
     */
    public Evaluator(EvaluatorConfig config, ClusterConfig cluster, MetricsEndpoint endpoint) throws IOException {
        this.endpoint = endpoint;
        endpoint.cumulative("evaluator/versions_evaluated", null, "Policy versions evaluated.", this, Evaluator::evaluatedVersions);
        endpoint.cumulative("evaluator/announcements", null, "Policy version announcements handled (evaluated or skipped).", this,
                Evaluator::handledAnnouncements);
        this.config = config;
        this.cluster = cluster;
        this.topics = cluster.topics();
        this.csv = new EvalCsv(config.out());
        Map<String, Path> evaluated = new LinkedHashMap<>();
        config.tasks().forEach(task -> evaluated.put(task, config.rewardModels().get(task)));
        this.rewardModels = RewardModels.load(evaluated);
        try {
            try (PolicyModel reference = PolicyModel.loadFrozen(config.referencePolicy())) {
                for (String name : config.tasks()) {
                    TaskEvaluator evaluator = new TaskEvaluator(TaskRegistry.byName(name), rewardModels.model(name), reference, config);
                    evaluators.add(evaluator);
                    log.info("task {}: {} evaluation prompts x {} samples, reference policy {} has mean reward {} and hidden gold quality {}",
                            name, evaluator.promptCount(), config.samplesPerPrompt(), config.referencePolicy(),
                            String.format(Locale.ROOT, "%.4f", evaluator.referenceReward()),
                            String.format(Locale.ROOT, "%.4f", evaluator.referenceGoldQuality()));
                }
            }
            this.publisher = new RecordPublisher(cluster, topics, WORKER, config.evaluatorId());
        } catch (IOException | RuntimeException e) {
            rewardModels.close();
            throw e;
        }
    }

    /** Versions evaluated by this run (versions that were skipped or dead-lettered do not count). */
    public long evaluatedVersions() {
        return evaluatedVersions.get();
    }

    /**
     * Announcements read so far, whatever became of them: evaluated, skipped ({@code --every}, already
     * evaluated) or dead-lettered. Safe to call from another thread.
     */
    public long handledAnnouncements() {
        return handledAnnouncements.get();
    }

    /** Dead letters published by this run, by reason. */
    public Map<DeadLetterReason, Long> deadLetterCounts() {
        return publisher.deadLetterCounts();
    }

    /** Runs until {@code stop} is set, {@code maxVersions} versions are evaluated or the idle timeout passes. */
    public void run(AtomicBoolean stop) throws IOException {
        // One partition: versions are read in the order they were announced.
        KafkaClients.ensureTopics(cluster, List.of(topics.names().policyVersions(), topics.names().evalResults()), 1);
        KafkaClients.ensureTopics(cluster, List.of(topics.names().deadLetters()), 4);
        recallDone();
        // Decode-or-dead-letter like every worker; an unreachable registry is waited for, never dead-lettered.
        DeadLetteringDecoder<PolicyVersion> decoder = new DeadLetteringDecoder<>(topics.policyVersions().valueSerde().deserializer(),
                publisher, cluster.registryTimeout()).stopWaitingWhen(stop::get);
        Map<String, Object> props = KafkaClients.consumer(cluster, "unused", config.evaluatorId());
        // Assigned and read from the beginning at every start; what was done is known from results, not offsets.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
             MetricsEndpoint.Binding clientMetrics = endpoint.bindKafka(consumer, publisher)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.names().policyVersions()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            log.info("evaluating versions announced on {} (every {}), tasks {}, {} prompts each; results to {} and {}",
                    topics.names().policyVersions(), config.every(), config.tasks(), config.evalPrompts(),
                    topics.names().evalResults(), csv.file());
            long lastRecordNanos = System.nanoTime();
            while (!stop.get() && !maxVersionsReached()) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (!config.idleTimeout().isZero() && System.nanoTime() - lastRecordNanos > config.idleTimeout().toNanos()) {
                        log.info("no new policy version for {} s: stopping (idle timeout)", config.idleTimeout().toSeconds());
                        break;
                    }
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (stop.get() || maxVersionsReached()) {
                        break;
                    }
                    process(record, decoder);
                    handledAnnouncements.incrementAndGet();
                }
                lastRecordNanos = System.nanoTime();
            }
        }
        publisher.flush();
        log.info("evaluator stopped: {} versions evaluated, dead letters {}", evaluatedVersions.get(), publisher.deadLetterCounts());
    }

    private boolean maxVersionsReached() {
        return config.maxVersions() > 0 && evaluatedVersions.get() >= config.maxVersions();
    }

    /** Marks what the CSV and eval-results already hold as done, and completes the CSV from the topic. */
    private void recallDone() throws IOException {
        Set<String> inCsv = csv.keys();
        Map<String, EvaluationResult> published = EvalResultsHistory.read(cluster, topics.evalResults(), config.evaluatorId());
        done.addAll(inCsv);
        done.addAll(published.keySet());
        int backfilled = 0;
        for (Map.Entry<String, EvaluationResult> e : published.entrySet()) {
            if (!inCsv.contains(e.getKey()) && config.tasks().contains(e.getValue().getTask())) {
                csv.append(EvalRow.of(e.getValue()));
                backfilled++;
            }
        }
        log.info("already evaluated: {} rows in {}, {} results on {}{}", inCsv.size(), csv.file(), published.size(),
                topics.names().evalResults(), backfilled > 0 ? "; appended " + backfilled + " missing rows to the CSV" : "");
    }

    private void process(ConsumerRecord<String, byte[]> record, DeadLetteringDecoder<PolicyVersion> decoder) throws IOException {
        Optional<PolicyVersion> decoded = decoder.decode(record);
        if (decoded.isEmpty()) {
            return;
        }
        PolicyVersion announced = decoded.get();
        long version = announced.getVersion();
        if (!config.selects(version)) {
            log.debug("policy version {} skipped (--every {})", version, config.every());
            return;
        }
        List<TaskEvaluator> pending = evaluators.stream()
                .filter(t -> !done.contains(EvaluatorConfig.resultKey(t.task().name(), version))).toList();
        if (pending.isEmpty()) {
            log.info("policy version {} already evaluated on {}: skipped", version, config.tasks());
            return;
        }
        long started = System.nanoTime();
        try {
            Path dir = PolicyWeights.verify(announced);
            try (PolicyModel policy = PolicyWeights.load(announced, dir)) {
                for (TaskEvaluator task : pending) {
                    EvalRow row = evaluate(task, policy, announced, record);
                    if (row == null) {
                        return;
                    }
                    publisher.sendSync(topics.evalResults(), row.key(), row.result());
                    csv.append(row);
                    done.add(row.key());
                    EvaluationResult r = row.result();
                    log.info(String.format(Locale.ROOT, "version %d (step %d) %s: validation reward %.4f (reference %.4f), "
                                    + "hidden gold quality %.4f (reference %.4f), win rate %.3f [%.3f, %.3f] "
                                    + "(%d wins, %d ties, %d losses of %d prompts x %d samples)", version, announced.getStep(), r.getTask(),
                            r.getValidationReward(), row.referenceReward(), r.getGoldQuality(), r.getReferenceGoldQuality(),
                            r.getWinRate(), r.getWinRateCiLow(), r.getWinRateCiHigh(),
                            row.wins(), row.ties(), row.losses(), r.getNumPrompts(), r.getSamplesPerPrompt()));
                }
            }
        } catch (WeightsRejectedException e) {
            publisher.deadLetter(record, e.reason(), e.getMessage());
            return;
        }
        evaluatedVersions.incrementAndGet();
        log.info("policy version {} evaluated in {} ms", version, (System.nanoTime() - started) / 1_000_000);
    }

    /** One task's evaluation, or null after dead-lettering a model that cannot be evaluated (e.g. a context too short). */
    private EvalRow evaluate(TaskEvaluator task, PolicyModel policy, PolicyVersion announced, ConsumerRecord<String, byte[]> record) {
        try {
            return task.evaluate(policy, announced);
        } catch (IllegalArgumentException e) {
            publisher.deadLetter(record, DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                    + " cannot be evaluated on " + task.task().name() + ": " + e.getMessage());
            return null;
        }
    }

    @Override
    public void close() {
        try {
            publisher.close();
        } finally {
            rewardModels.close();
        }
    }
}
