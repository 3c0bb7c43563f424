package dev.gopo.learner.bench;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.files.FileTrees;
import dev.gopo.learner.Learner;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.StepAssembler;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.policy.PolicyConfig;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.policy.training.TrainingSequence;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.Topic;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gopo bench-learner}: learner throughput through Kafka vs a bare DJL step on the same batches.
 *
 * <p>For each model size it produces {@code steps x groupsPerStep} synthetic groups to the embedded
 * broker, runs the real {@link Learner} (consume, decode, assemble, step, metrics, checkpoints,
 * announcements) for {@code steps} steps, then, in the same process, runs the same batches through
 * a bare {@link PolicyTrainer} with no Kafka. The ratio is the pipeline's overhead.
 */
@Command(name = "bench-learner", mixinStandardHelpOptions = true,
        description = "Benchmark: learner tokens/s and step time through Kafka vs a bare DJL step on the same batches, for two model sizes.")
public final class LearnerBenchmark implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "12", description = "Measured steps per size. Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--groups-per-step", defaultValue = "4", description = "Groups per step. Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = "--group-size", defaultValue = "8", description = "Completions per group (G). Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--completion-tokens", defaultValue = "48", description = "Tokens per completion. Default: ${DEFAULT-VALUE}")
    int completionTokens;

    @Option(names = "--checkpoint-every", defaultValue = "6", description = "Learner checkpoint interval during the run. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--work-dir", defaultValue = "gopo-work/bench-learner", description = "Scratch directory. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        if (steps < 2 || groupsPerStep < 1 || groupSize < 2 || completionTokens < 1) {
            throw new IllegalArgumentException("need --steps >= 2, --groups-per-step >= 1, --group-size >= 2, --completion-tokens >= 1");
        }
        System.out.printf("learner benchmark: %d steps x %d groups x G=%d x %d tokens; %d cores, %s%n", steps, groupsPerStep, groupSize,
                completionTokens, Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"));
        try (EmbeddedInfra infra = EmbeddedInfra.start(workDir.resolve("infra"), 1, true)) {
            for (String size : List.of("tiny", "small")) {
                PolicyConfig model = size.equals("tiny") ? PolicyConfig.tiny() : PolicyConfig.small();
                runSize(infra, size, model);
            }
        }
        return 0;
    }

    private static List<TrainingMetrics> readMetrics(ClusterConfig cluster, int steps) {
        Topic<String, TrainingMetrics> topic = cluster.topics().metrics();
        List<TrainingMetrics> out = new ArrayList<>();
        try (KafkaConsumer<String, TrainingMetrics> consumer = new KafkaConsumer<>(KafkaClients.consumer(cluster, "bench-metrics", "bench-metrics"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.subscribe(List.of(topic.name()));
            long deadline = System.currentTimeMillis() + 30_000;
            while (out.size() < steps && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
        }
        if (out.size() < steps) {
            throw new IllegalStateException("expected " + steps + " metrics records, read " + out.size());
        }
        out.sort(java.util.Comparator.comparingLong(TrainingMetrics::getStep));
        return out;
    }

    /** Standalone entry point (the same as {@code gopo bench-learner}). */
    public static void main(String[] args) {
        int code = new picocli.CommandLine(new LearnerBenchmark()).execute(args);
        org.slf4j.LoggerFactory.getLogger(LearnerBenchmark.class).info("benchmark exits with code {}", code);
        System.exit(code);
    }

    private void runSize(EmbeddedInfra infra, String size, PolicyConfig model) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(size));
        Path init = dir.resolve("init");
        try (PolicyModel m = PolicyModel.create(model, Tokenizer.ascii())) {
            m.save(init);
        }
        int promptTokens = Math.min(16, model.maxSeqLen() - completionTokens);
        List<AdvantageGroup> groups = SyntheticGroups.make(steps * groupsPerStep, groupSize, promptTokens, completionTokens, 42);
        long tokensPerStep = (long) groupsPerStep * groupSize * completionTokens;
        TrainerConfig trainerConfig = TrainerConfig.defaults(1e-4);

        // Bare DJL: the same batches, no Kafka. First step is warm-up (JIT, allocator) and not measured.
        double bareSeconds;
        try (PolicyTrainer trainer = PolicyTrainer.create(PolicyModel.load(init), trainerConfig)) {
            List<List<TrainingSequence>> batches = new ArrayList<>();
            for (int s = 0; s < steps; s++) {
                batches.add(StepAssembler.sequences(groups.subList(s * groupsPerStep, (s + 1) * groupsPerStep)));
            }
            trainer.step(batches.get(0));
            long t0 = System.nanoTime();
            for (int s = 1; s < steps; s++) {
                trainer.step(batches.get(s));
            }
            bareSeconds = (System.nanoTime() - t0) / 1e9;
        }

        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames("bench-" + size + "."));
        Topic<String, AdvantageGroup> topic = cluster.topics().advantages();
        KafkaClients.ensureTopics(cluster, List.of(topic.name()), 1);
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(KafkaClients.producer(cluster, "bench"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (AdvantageGroup g : groups) {
                producer.send(new ProducerRecord<>(topic.name(), g.getGroupId(), g));
            }
        }
        // A learner dir left by an earlier benchmark holds a checkpoint at the last step: the learner would resume
        // there, train nothing, and publish no metrics. Every run measures from step 0.
        FileTrees.deleteRecursively(dir.resolve("learner"));
        LearnerConfig config = new LearnerConfig("bench-" + size, Estimator.GOPO, groupsPerStep, Long.MAX_VALUE / 4, LearnerConfig.NO_VERSION_BOUND, checkpointEvery, false,
                dir.resolve("learner"), init, trainerConfig, steps, Duration.ofSeconds(30), 0, false);
        try (Learner learner = new Learner(config, cluster)) {
            learner.run(new AtomicBoolean());
        }
        // Steady state: from the end of step 1 to the end of the last step, as the learner stamped its
        // metrics records, the same steps the bare loop timed (step 1 is warm-up in both).
        List<TrainingMetrics> metrics = readMetrics(cluster, steps);
        double pipelineSeconds = (metrics.get(steps - 1).getTimestampMs() - metrics.get(0).getTimestampMs()) / 1e3;

        double bareStepMs = bareSeconds * 1000 / (steps - 1);
        double bareTokensPerS = tokensPerStep * (steps - 1) / bareSeconds;
        double pipeStepMs = pipelineSeconds * 1000 / (steps - 1);
        double pipeTokensPerS = tokensPerStep * (steps - 1) / pipelineSeconds;
        System.out.printf("%-6s %,9d params | bare DJL: %7.1f ms/step %9.0f tokens/s | learner via Kafka: %7.1f ms/step %9.0f tokens/s"
                        + " (incl. consume, decode, metrics, %d checkpoints + announcements) | pipeline/bare = %.2f%n",
                size, model.parameterCount(), bareStepMs, bareTokensPerS, pipeStepMs, pipeTokensPerS, steps / checkpointEvery,
                pipeTokensPerS / bareTokensPerS);
    }
}
