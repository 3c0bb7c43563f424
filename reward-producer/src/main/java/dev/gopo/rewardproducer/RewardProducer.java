package dev.gopo.rewardproducer;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.platform.PollingWorker;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.DeadLetteringDecoder;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.policy.Tokenizer;
import dev.gopo.schemas.topic.Topics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An example external reward producer: consumes completions, scores their text and writes one
 * {@link Reward} per completion, keyed by the group id, to the rewards topic.
 *
 * <p>At-least-once: offsets are committed only after every reward and dead letter of a poll has
 * been acknowledged by the broker. A crash in between re-scores those completions after the
 * restart; the duplicates are harmless because the ranker keeps the first reward per (group, index).
 *
 * <p>Nothing invalid is written: completions with a key other than their group id, an index
 * outside the group, no decodable text or an unknown task, and scores that are NaN or infinite,
 * go to the dead-letter topic instead.
 *
 * <p>It lives in the evaluator module only because it reuses the tasks' reward models; any
 * process in any language can play this role (see docs/reward-producers.md).
 */
public final class RewardProducer implements PollingWorker {
    private static final Logger log = LoggerFactory.getLogger(RewardProducer.class);
    static final String WORKER = "reward-producer";
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(30);

    private final RewardProducerConfig config;
    private final ClusterConfig cluster;
    private final Topics topics;
    private final Tokenizer tokenizer;
    private final CompletionScorer scorer;
    private final RecordPublisher publisher;
    private final MetricsEndpoint endpoint;
    private final DeadLetteringDecoder<Completion> decoder;
    // Read by other threads (progress, tests), written only by the loop.
    private final AtomicLong handled = new AtomicLong();
    private final AtomicLong rewarded = new AtomicLong();

    /** @throws IOException when the tokenizer or a reward model cannot be loaded */
    public RewardProducer(RewardProducerConfig config, ClusterConfig cluster) throws IOException {
        this(config, cluster, MetricsEndpoint.off());
    }

    /**
     * A reward producer whose metrics are served on {@code endpoint} ({@code --metrics-port}):
     * {@code gopo_reward_producer_completions_total} (handled: rewarded or dead-lettered),
     * {@code gopo_reward_producer_rewards_total} (written and acknowledged) and the Kafka clients' own metrics.
     *
     * @throws IOException when the tokenizer or a reward model cannot be loaded
     */
    public RewardProducer(RewardProducerConfig config, ClusterConfig cluster, MetricsEndpoint endpoint) throws IOException {
        this.endpoint = endpoint;
        endpoint.cumulative("reward_producer/completions", null, "Completions handled: rewarded or dead-lettered.", this, RewardProducer::handled);
        endpoint.cumulative("reward_producer/rewards", null, "Rewards written and acknowledged.", this, RewardProducer::rewarded);
        this.config = config;
        this.cluster = cluster;
        this.topics = cluster.topics();
        this.tokenizer = config.tokenizerFile() == null ? Tokenizer.ascii() : Tokenizer.load(config.tokenizerFile());
        this.scorer = config.scorer() == ScorerKind.LENGTH ? new LengthScorer() : RewardModelScorer.load(config.rewardModels());
        try {
            this.publisher = new RecordPublisher(cluster, topics, WORKER, config.producerId());
        } catch (RuntimeException e) {
            scorer.close();
            throw e;
        }
        this.decoder = new DeadLetteringDecoder<>(topics.completions().valueSerde().deserializer(), publisher, cluster.registryTimeout());
    }

    /** Completions handled so far: rewarded or dead-lettered. */
    public long handled() {
        return handled.get();
    }

    /** Rewards written and acknowledged so far. */
    public long rewarded() {
        return rewarded.get();
    }

    public Map<DeadLetterReason, Long> deadLetterCounts() {
        return publisher.deadLetterCounts();
    }

    /** Runs until {@code stop} is set, {@code maxCompletions} are handled or the idle timeout passes. */
    public void run(AtomicBoolean stop) {
        decoder.stopWaitingWhen(stop::get);
        // Same partition count as the ranker's default, so completions and rewards stay co-partitioned when we create them.
        KafkaClients.ensureTopics(cluster, List.of(topics.names().completions(), topics.names().rewards(),
                topics.names().deadLetters()), 4);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                KafkaClients.consumer(cluster, config.groupId(), config.producerId()), new StringDeserializer(), new ByteArrayDeserializer());
             MetricsEndpoint.Binding clientMetrics = endpoint.bindKafka(consumer, publisher)) {
            consumer.subscribe(List.of(topics.names().completions()));
            log.info("scoring {} with the {} scorer as '{}' (group {}), writing {}", topics.names().completions(),
                    config.scorer().name().toLowerCase(Locale.ROOT), config.producerId(), config.groupId(), topics.names().rewards());
            long lastRecordNanos = System.nanoTime();
            long lastProgressNanos = System.nanoTime();
            while (!stop.get() && !maxReached()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (!config.idleTimeout().isZero() && System.nanoTime() - lastRecordNanos > config.idleTimeout().toNanos()) {
                        log.info("no completions for {} s: stopping (idle timeout)", config.idleTimeout().toSeconds());
                        break;
                    }
                } else {
                    List<Future<RecordMetadata>> sent = handle(records);
                    awaitAcknowledged(sent);
                    commit(consumer);
                    lastRecordNanos = System.nanoTime();
                }
                if (System.nanoTime() - lastProgressNanos > PROGRESS_EVERY.toNanos()) {
                    log.info("{} completions handled, {} rewards written, dead letters {}", handled.get(), rewarded.get(), publisher.deadLetterCounts());
                    lastProgressNanos = System.nanoTime();
                }
            }
        }
        log.info("reward producer stopped: {} completions handled, {} rewards written, dead letters {}", handled.get(), rewarded.get(),
                publisher.deadLetterCounts());
    }

    private boolean maxReached() {
        return config.maxCompletions() > 0 && handled.get() >= config.maxCompletions();
    }

    /** Scores one poll's completions (batched per task) and sends their rewards; returns the pending sends. */
    private List<Future<RecordMetadata>> handle(ConsumerRecords<String, byte[]> records) {
        Map<String, List<CompletionCheck.Scorable>> byTask = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            handled.incrementAndGet();
            Optional<Completion> decoded = decoder.decode(record);
            if (decoded.isEmpty()) {
                continue;
            }
            Completion completion = decoded.get();
            CompletionCheck.Result checked = CompletionCheck.check(record, completion, tokenizer);
            if (checked instanceof CompletionCheck.Rejected rejected) {
                publisher.deadLetter(record, rejected.reason(), rejected.detail());
            } else if (!scorer.knows(completion.getTask())) {
                publisher.deadLetter(record, DeadLetterReason.UNKNOWN_TASK, "completion " + completion.getIndex() + " of group "
                        + completion.getGroupId() + " is for task '" + completion.getTask() + "' which has no reward model here; "
                        + "pass --reward-model " + completion.getTask() + "=DIR");
            } else {
                byTask.computeIfAbsent(completion.getTask(), t -> new ArrayList<>()).add((CompletionCheck.Scorable) checked);
            }
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        byTask.forEach((task, inputs) -> scoreAndSend(task, inputs, sent));
        return sent;
    }

    /** Scores a task's batch in one call and sends the rewards; falls back to one by one when the batch is refused. */
    private void scoreAndSend(String task, List<CompletionCheck.Scorable> inputs, List<Future<RecordMetadata>> sent) {
        double[] scores;
        try {
            scores = scorer.score(task, inputs.stream().map(CompletionCheck.Scorable::prompt).toList(),
                    inputs.stream().map(CompletionCheck.Scorable::text).toList());
        } catch (IllegalArgumentException batchRefused) {
            // One input the scorer cannot take refuses the whole batch: find it, so only it is dead-lettered.
            scoreOneByOne(task, inputs, sent);
            return;
        }
        for (int i = 0; i < inputs.size(); i++) {
            send(inputs.get(i), scores[i]).ifPresent(sent::add);
        }
    }

    private void scoreOneByOne(String task, List<CompletionCheck.Scorable> inputs, List<Future<RecordMetadata>> sent) {
        for (CompletionCheck.Scorable input : inputs) {
            double score;
            try {
                score = scorer.score(task, List.of(input.prompt()), List.of(input.text()))[0];
            } catch (IllegalArgumentException e) {
                Completion c = input.completion();
                publisher.deadLetter(input.raw(), DeadLetterReason.PROMPT_TOO_LONG, "completion " + c.getIndex() + " of group "
                        + c.getGroupId() + " cannot be scored by the " + task + " reward model: " + e.getMessage());
                continue;
            }
            send(input, score).ifPresent(sent::add);
        }
    }

    /** Sends the reward, or dead-letters a non-finite score; returns the pending send, if any. */
    private Optional<Future<RecordMetadata>> send(CompletionCheck.Scorable input, double score) {
        Completion c = input.completion();
        if (!Double.isFinite(score)) {
            publisher.deadLetter(input.raw(), DeadLetterReason.NON_FINITE_REWARD, "the " + config.scorer().name().toLowerCase(Locale.ROOT)
                    + " scorer gave " + score + " for completion " + c.getIndex() + " of group " + c.getGroupId()
                    + "; rewards must be finite, so none was written");
            return Optional.empty();
        }
        Reward reward = Reward.newBuilder()
                .setGroupId(c.getGroupId())
                .setIndex(c.getIndex())
                .setReward(score)
                .setProducerId(config.producerId())
                .setProducedAtMs(System.currentTimeMillis())
                .build();
        return Optional.of(publisher.send(topics.rewards(), c.getGroupId(), reward));
    }

    /** Waits until every reward of the poll is acknowledged; a failed send stops the producer before it commits. */
    private void awaitAcknowledged(List<Future<RecordMetadata>> sent) {
        publisher.flush();
        for (Future<RecordMetadata> future : sent) {
            try {
                future.get();
                rewarded.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for rewards to be acknowledged; offsets not committed", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("a reward could not be written to " + topics.names().rewards() + ": "
                        + e.getCause().getMessage() + "; offsets not committed, so a restart scores these completions again", e.getCause());
            }
        }
    }

    private void commit(KafkaConsumer<String, byte[]> consumer) {
        try {
            consumer.commitSync();
        } catch (CommitFailedException e) {
            // The partitions moved to another member during this batch: it re-scores them, and duplicates are harmless.
            log.warn("offset commit failed after a rebalance; the new owner will score these completions again: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        try {
            publisher.close();
        } finally {
            scorer.close();
        }
    }
}
