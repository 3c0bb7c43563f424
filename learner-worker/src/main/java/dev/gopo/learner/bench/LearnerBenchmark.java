package dev.gopo.learner.bench;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.files.FileTrees;
import dev.gopo.learner.Learner;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.StepAssembler;
import dev.gopo.platform.bench.Spread;
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
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gopo bench-learner}: learner step time through Kafka vs a bare DJL step on the same batches.
 *
 * <p>For each model size it runs {@code repeats} rounds; each round has one bare block (a fresh
 * {@link PolicyTrainer} from the same initial policy, no Kafka) and one pipeline block (a fresh
 * {@link Learner} consuming the same groups from its own topic: consume, decode, assemble, step,
 * metrics, checkpoints, announcements). Both blocks run {@code warmupSteps + steps} steps on the
 * same batches and discard the first {@code warmupSteps}; the order alternates (bare first in even
 * rounds, pipeline first in odd rounds), so neither side is always the one that runs on a colder
 * process or a busier machine. It reports the median block step time of each side with its spread,
 * and the ratio of the medians.
 *
 * <p>Why: a single bare-then-pipeline pass with one warm-up step gave ratios above 1 (a pipeline
 * faster than the bare loop it wraps); see the README's benchmark section for what was measured.
 */
@Command(name = "bench-learner", mixinStandardHelpOptions = true,
        description = "Benchmark: learner step time and tokens/s through Kafka vs a bare DJL step on the same batches, "
                + "warmed up, interleaved and repeated, for each model size.")
public final class LearnerBenchmark implements Callable<Integer> {
    @Option(names = "--steps", defaultValue = "10", description = "Measured steps per block (after the warm-up). Default: ${DEFAULT-VALUE}")
    int steps;

    @Option(names = "--warmup-steps", defaultValue = "3",
            description = "Steps run and discarded at the start of every block (JIT, native allocator, caches). Default: ${DEFAULT-VALUE}")
    int warmupSteps;

    @Option(names = "--repeats", defaultValue = "4",
            description = "Rounds per size; each round runs one bare and one pipeline block, in alternating order. Default: ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--sizes", defaultValue = "small,tiny", split = ",", description = "Model sizes, in this order (tiny, small). Default: ${DEFAULT-VALUE}")
    List<String> sizes;

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
        if (steps < 1 || warmupSteps < 1 || repeats < 1 || groupsPerStep < 1 || groupSize < 2 || completionTokens < 1) {
            throw new IllegalArgumentException("need --steps >= 1, --warmup-steps >= 1 (the pipeline is timed from the end of a warm-up step), "
                    + "--repeats >= 1, --groups-per-step >= 1, --group-size >= 2, --completion-tokens >= 1");
        }
        for (String size : sizes) {
            if (!size.equals("tiny") && !size.equals("small")) {
                throw new IllegalArgumentException("--sizes takes tiny and/or small, not " + size);
            }
        }
        System.out.printf("learner benchmark: %d repeats x (bare block, pipeline block) in alternating order; each block %d warm-up + %d "
                        + "measured steps x %d groups x G=%d x %d tokens; %d cores, %s, load %s%n", repeats, warmupSteps, steps, groupsPerStep,
                groupSize, completionTokens, Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch"), loadAverage());
        try (EmbeddedInfra infra = EmbeddedInfra.start(workDir.resolve("infra"), 1, true)) {
            for (String size : sizes) {
                PolicyConfig model = size.equals("tiny") ? PolicyConfig.tiny() : PolicyConfig.small();
                runSize(infra, size, model);
            }
        }
        return 0;
    }

    /** Per-step durations of one block in ms, warm-up steps first. */
    /**
     * @param stepMs    wall time of each step
     * @param computeMs the learner's own {@code time/compute_ms} of each step (bare blocks: the step itself)
     * @param waitMs    the learner's {@code time/wait_ms} of each step (bare blocks: 0)
     */
    private record Block(double[] stepMs, double[] computeMs, double[] waitMs) {
        Block(double[] stepMs) {
            this(stepMs, stepMs, new double[stepMs.length]);
        }

        /** Measured steps' compute time over their wall time: how much of the block the training thread spent in the update. */
        double computeShare(int warmup) {
            double compute = 0;
            double wall = 0;
            for (int i = warmup; i < stepMs.length; i++) {
                compute += computeMs[i];
                wall += stepMs[i];
            }
            return compute / wall;
        }

        double measuredWaitMedianMs(int warmup) {
            return Spread.of(java.util.Arrays.copyOfRange(waitMs, warmup, waitMs.length)).median();
        }

        double measuredMeanMs(int warmup) {
            double sum = 0;
            for (int i = warmup; i < stepMs.length; i++) {
                sum += stepMs[i];
            }
            return sum / (stepMs.length - warmup);
        }

        String warmup(int warmup) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < warmup; i++) {
                b.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", stepMs[i]));
            }
            return b.toString();
        }
    }

    private void runSize(EmbeddedInfra infra, String size, PolicyConfig model) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(size));
        Path init = dir.resolve("init");
        try (PolicyModel m = PolicyModel.create(model, Tokenizer.ascii())) {
            m.save(init);
        }
        int total = warmupSteps + steps;
        int promptTokens = Math.min(16, model.maxSeqLen() - completionTokens);
        List<AdvantageGroup> groups = SyntheticGroups.make(total * groupsPerStep, groupSize, promptTokens, completionTokens, 42);
        List<List<TrainingSequence>> batches = new ArrayList<>();
        for (int s = 0; s < total; s++) {
            batches.add(StepAssembler.sequences(groups.subList(s * groupsPerStep, (s + 1) * groupsPerStep)));
        }
        long tokensPerStep = (long) groupsPerStep * groupSize * completionTokens;
        TrainerConfig trainerConfig = TrainerConfig.defaults(1e-4);

        double[] bare = new double[repeats];
        double[] pipe = new double[repeats];
        double[] share = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            boolean bareFirst = r % 2 == 0;
            Block b = null;
            Block p = null;
            for (int half = 0; half < 2; half++) {
                if ((half == 0) == bareFirst) {
                    b = bareBlock(init, trainerConfig, batches);
                } else {
                    p = pipelineBlock(infra, size, r, dir, init, trainerConfig, groups);
                }
            }
            bare[r] = b.measuredMeanMs(warmupSteps);
            pipe[r] = p.measuredMeanMs(warmupSteps);
            share[r] = p.computeShare(warmupSteps);
            System.out.printf(Locale.ROOT, "%-6s repeat %d (%s first): bare %7.1f ms/step (warm-up steps %s ms) | pipeline %7.1f ms/step "
                            + "(warm-up steps %s ms) | pipeline/bare %.2f | pipeline compute share %.2f, median wait %.1f ms | load %s%n", size,
                    r + 1, bareFirst ? "bare" : "pipeline", bare[r], b.warmup(warmupSteps), pipe[r], p.warmup(warmupSteps), bare[r] / pipe[r],
                    share[r], p.measuredWaitMedianMs(warmupSteps), loadAverage());
        }
        Spread bareMs = Spread.of(bare);
        Spread pipeMs = Spread.of(pipe);
        // The two blocks of a round run back to back, so their ratio sees the same machine load; its median is
        // less sensitive to load that drifts between rounds (another build) than the ratio of medians.
        double[] paired = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            paired[r] = bare[r] / pipe[r];
        }
        Spread pairedRatio = Spread.of(paired);
        // Within one pipeline block: time/compute_ms over the step's wall time. Load slows both alike, so this says how
        // much of the pipeline's step is the update itself even on a busy machine.
        Spread shares = Spread.of(share);
        System.out.printf(Locale.ROOT, "%-6s pipeline compute share (sum of time/compute_ms / sum of step wall time, measured steps): "
                + "median %.3f [min %.3f, max %.3f]%n", size, shares.median(), shares.min(), shares.max());
        System.out.printf(Locale.ROOT, "%-6s %,9d params | bare DJL: median %s ms/step, %.0f tokens/s | learner via Kafka: median %s ms/step, "
                        + "%.0f tokens/s (incl. consume, decode, metrics, checkpoints + announcements) | pipeline/bare (ratio of medians, "
                        + "throughput) = %.2f; per-round ratios: median %.2f [min %.2f, max %.2f] | %d repeats, load %s%n",
                size, model.parameterCount(), bareMs.format(), tokensPerStep * 1000 / bareMs.median(), pipeMs.format(),
                tokensPerStep * 1000 / pipeMs.median(), bareMs.median() / pipeMs.median(), pairedRatio.median(), pairedRatio.min(),
                pairedRatio.max(), repeats, loadAverage());
        // FLOP/s: every batch is groupsPerStep x G sequences of promptTokens + completionTokens tokens, so one count fits all steps
        StepFlops flops = new StepFlops(model, groupsPerStep * groupSize, promptTokens + completionTokens);
        // the step's largest product (MLP up-projection over all positions), and a cache-sized square one as the machine's peak
        double modelShaped = MatmulPeak.gflops((int) flops.positions(), model.dModel(), model.dMlp(), 5, 21);
        double square = MatmulPeak.gflops(512, 512, 512, 5, 21);
        double peak = Math.max(modelShaped, square);
        double bareGflops = flops.perStep() / bareMs.median() / 1e6;
        double pipeGflops = flops.perStep() / pipeMs.median() / 1e6;
        System.out.printf(Locale.ROOT, "%-6s FLOPs: %.2f MFLOP forward per position x %,d positions x 4 (policy forward + backward, "
                        + "reference forward) = %.2f GFLOP/step | bare %.1f GFLOP/s, pipeline %.1f GFLOP/s | DJL matMul, %s, median of 21: "
                        + "(%d x %d).(%d x %d) %.1f GFLOP/s, (512 x 512).(512 x 512) %.1f GFLOP/s | bare at %.0f%% and pipeline at %.0f%% "
                        + "of the better one%n",
                size, flops.forwardPerPosition() / 1e6, flops.positions(), flops.perStep() / 1e9, bareGflops, pipeGflops, torchThreads(),
                flops.positions(), model.dModel(), model.dModel(), model.dMlp(), modelShaped, square, 100 * bareGflops / peak,
                100 * pipeGflops / peak);
    }

    private static String torchThreads() {
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        return threads == null ? "PyTorch default threads" : threads + " PyTorch thread" + (threads.equals("1") ? "" : "s");
    }

    /** A fresh trainer from {@code init} on all batches; each step timed on its own. */
    private static Block bareBlock(Path init, TrainerConfig trainerConfig, List<List<TrainingSequence>> batches) throws Exception {
        double[] ms = new double[batches.size()];
        try (PolicyTrainer trainer = PolicyTrainer.create(PolicyModel.load(init), trainerConfig)) {
            for (int s = 0; s < batches.size(); s++) {
                long t0 = System.nanoTime();
                trainer.step(batches.get(s));
                ms[s] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return new Block(ms);
    }

    /**
     * A fresh learner from {@code init} on its own topics, holding the same groups. Step times are
     * the gaps between the learner's metrics timestamps; the first step has no predecessor, so it is
     * charged from the learner's start (construction included) and is always warm-up.
     */
    private Block pipelineBlock(EmbeddedInfra infra, String size, int repeat, Path dir, Path init, TrainerConfig trainerConfig,
            List<AdvantageGroup> groups) throws Exception {
        int total = warmupSteps + steps;
        String id = "bench-" + size + "-" + repeat;
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(id + "."));
        Topic<String, AdvantageGroup> topic = cluster.topics().advantages();
        KafkaClients.ensureTopics(cluster, List.of(topic.name()), 1);
        try (KafkaProducer<String, AdvantageGroup> producer = new KafkaProducer<>(KafkaClients.producer(cluster, "bench"),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            for (AdvantageGroup g : groups) {
                producer.send(new ProducerRecord<>(topic.name(), g.getGroupId(), g));
            }
        }
        // A learner dir left by an earlier benchmark holds a checkpoint at the last step: the learner would resume
        // there, train nothing, and publish no metrics. Every block measures from step 0.
        Path learnerDir = dir.resolve("learner-" + repeat);
        FileTrees.deleteRecursively(learnerDir);
        LearnerConfig config = new LearnerConfig(id, Estimator.GOPO, groupsPerStep, Long.MAX_VALUE / 4, LearnerConfig.NO_VERSION_BOUND,
                checkpointEvery, false, learnerDir, init, trainerConfig, total, Duration.ofSeconds(30), 0, false);
        long startMs = System.currentTimeMillis();
        try (Learner learner = new Learner(config, cluster)) {
            learner.run(new AtomicBoolean());
        }
        List<TrainingMetrics> metrics = readMetrics(cluster, total);
        double[] ms = new double[total];
        double[] compute = new double[total];
        double[] wait = new double[total];
        long previous = startMs;
        for (int s = 0; s < total; s++) {
            long t = metrics.get(s).getTimestampMs();
            ms[s] = t - previous;
            previous = t;
            compute[s] = metrics.get(s).getMetrics().get("time/compute_ms");
            wait[s] = metrics.get(s).getMetrics().get("time/wait_ms");
        }
        return new Block(ms, compute, wait);
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
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
}
