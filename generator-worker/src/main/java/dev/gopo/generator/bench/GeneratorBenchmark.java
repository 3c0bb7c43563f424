package dev.gopo.generator.bench;

import dev.gopo.platform.bench.Spread;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SampledCompletion;
import dev.gopo.policy.sampling.Sampler;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.policy.training.PolicyTrainer;
import dev.gopo.policy.training.StepResult;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.policy.training.TrainingSequence;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;
import dev.gopo.tasks.TaskRegistry;
import dev.gopo.tasks.TaskVocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gopo bench-generator}: tokens/s of sampling groups of G completions with the KV cache, the G
 * completions one after another ({@link Sampler#sampleGroupSequentially}) versus as one batch
 * ({@link Sampler#sampleGroup}, what the generator does).
 *
 * <p>Per model and G it runs {@code warmupRounds + repeats} rounds; a round is one sequential and one
 * batched block, each sampling one group for every benchmark prompt (the task prompts, encoded with
 * the model's tokenizer), with the same seeds, so both blocks draw the same tokens. The order
 * alternates (sequential first in even rounds). Warm-up rounds are printed and discarded. The summary
 * gives each side's median tokens/s with its spread ({@link Spread}), the ratio of the medians and the
 * median of the per-round ratios (the two blocks of a round see the same machine load).
 *
 * <p>With {@code --multi-group} (default) each round also samples all the block's groups as one batch
 * ({@link Sampler#sampleGroups}, prompts x G rows per forward), first in odd rounds and last in even
 * ones, and checks that it draws the batched block's tokens.
 *
 * <p>With {@code --learner-step} (default) each round also times one bare learner step
 * ({@link PolicyTrainer#step}, a trainer on its own copy of the same initial weights) on the round's
 * batched groups, so generation and consumption are compared at the same machine load; the first
 * step's {@code ratio/mean} shows that the published behaviour log-probs are what the learner recomputes.
 *
 * <p>Models: {@code tiny} and {@code small} are freshly initialised presets sized for the task
 * vocabulary and context ({@link ModelSize#policyConfig}); a fresh model rarely emits EOS, so nearly
 * every completion runs to {@code --max-new-tokens}. {@code reference} loads {@code --reference-policy}
 * (the prepared SMALL policy), whose completions end at EOS as in the pipeline.
 */
@Command(name = "bench-generator", mixinStandardHelpOptions = true,
        description = "Benchmark: generator sampling tokens/s, the G completions of a group one after another vs batched, "
                + "warmed up, interleaved and repeated, for each model and group size.")
public final class GeneratorBenchmark implements Callable<Integer> {
    @Option(names = "--models", defaultValue = "tiny,small", split = ",",
            description = "tiny, small (fresh presets) and/or reference (the prepared policy in --reference-policy). Default: ${DEFAULT-VALUE}")
    List<String> models;

    @Option(names = "--group-sizes", defaultValue = "8,16", split = ",", description = "Group sizes G. Default: ${DEFAULT-VALUE}")
    List<Integer> groupSizes;

    @Option(names = "--repeats", defaultValue = "5", description = "Measured rounds per model and G. Default: ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--warmup-rounds", defaultValue = "2", description = "Rounds run and discarded first. Default: ${DEFAULT-VALUE}")
    int warmupRounds;

    @Option(names = "--prompts", defaultValue = "8", description = "Groups per block (one per task prompt). Default: ${DEFAULT-VALUE}")
    int prompts;

    @Option(names = "--max-new-tokens", defaultValue = "" + TaskVocabulary.MAX_COMPLETION_TOKENS,
            description = "Completion length limit, EOS included (the generator's default). Default: ${DEFAULT-VALUE}")
    int maxNewTokens;

    @Option(names = "--paths", defaultValue = "both",
            description = "both, sequential or batched (one path only, e.g. under a profiler). Default: ${DEFAULT-VALUE}")
    String paths;

    @Option(names = "--multi-group", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Also time a third block per round: all the block's groups sampled as one batch (Sampler.sampleGroups, "
                    + "prompts x G rows per forward), first in odd rounds, last in even ones. Default: ${DEFAULT-VALUE}")
    boolean multiGroup;

    @Option(names = "--learner-step", defaultValue = "true", negatable = true, fallbackValue = "true",
            description = "Also time one learner step (PolicyTrainer.step, the learner's bare DJL step) on each round's batched "
                    + "groups, in the same process and round, and print the first step's ratio/mean. Default: ${DEFAULT-VALUE}")
    boolean learnerStep;

    @Option(names = "--reference-policy", defaultValue = "gopo-work/cache/reference-policy",
            description = "Model directory for --models reference. Default: ${DEFAULT-VALUE}")
    Path referencePolicy;

    private final Sampler sampler = new Sampler();

    @Override
    public Integer call() throws IOException {
        if (repeats < 1 || warmupRounds < 0 || prompts < 1 || maxNewTokens < 1 || groupSizes.stream().anyMatch(g -> g < 1)) {
            throw new IllegalArgumentException("need --repeats >= 1, --warmup-rounds >= 0, --prompts >= 1, --max-new-tokens >= 1, "
                    + "--group-sizes >= 1");
        }
        if (!List.of("both", "sequential", "batched").contains(paths)) {
            throw new IllegalArgumentException("--paths takes both, sequential or batched, not " + paths);
        }
        System.out.printf(Locale.ROOT, "generator benchmark: %d warm-up + %d rounds x (sequential block, batched block) in alternating order; "
                        + "each block %d groups (one per prompt), max %d new tokens, temperature 1; %d cores, load %s%n",
                warmupRounds, repeats, prompts, maxNewTokens, Runtime.getRuntime().availableProcessors(), loadAverage());
        for (String name : models) {
            try (PolicyModel model = model(name)) {
                List<int[]> encoded = prompts(model);
                System.out.printf(Locale.ROOT, "%-9s %,d params, vocab %d, context %d, prompts %d-%d tokens%n", name, model.parameterCount(),
                        model.config().vocabSize(), model.config().maxSeqLen(), encoded.stream().mapToInt(p -> p.length).min().orElse(0),
                        encoded.stream().mapToInt(p -> p.length).max().orElse(0));
                for (int g : groupSizes) {
                    try (PolicyTrainer trainer = learnerStep ? PolicyTrainer.create(model(name), TrainerConfig.defaults(1e-4)) : null) {
                        runGroupSize(name, model, trainer, encoded, g);
                    }
                }
            }
        }
        return 0;
    }

    private PolicyModel model(String name) throws IOException {
        switch (name) {
            case "tiny":
                return PolicyModel.create(ModelSize.TINY.policyConfig(42), TaskVocabulary.tokenizer());
            case "small":
                return PolicyModel.create(ModelSize.SMALL.policyConfig(42), TaskVocabulary.tokenizer());
            case "reference":
                if (!Files.isDirectory(referencePolicy)) {
                    throw new IllegalArgumentException("--models reference needs a prepared policy in " + referencePolicy
                            + ": run 'gopo prepare' or pass --reference-policy DIR");
                }
                return PolicyModel.load(referencePolicy);
            default:
                throw new IllegalArgumentException("--models takes tiny, small and/or reference, not " + name);
        }
    }

    /** The first prompts of every task in turn, encoded; prompts that do not fit with {@code maxNewTokens} are skipped. */
    private List<int[]> prompts(PolicyModel model) {
        List<int[]> out = new ArrayList<>();
        List<List<TaskPrompt>> perTask = new ArrayList<>();
        for (Task task : TaskRegistry.all()) {
            perTask.add(task.prompts(Split.TRAIN, prompts, 7));
        }
        SamplingConfig probe = SamplingConfig.defaults(maxNewTokens, 0);
        for (int i = 0; out.size() < prompts && i < prompts; i++) {
            for (List<TaskPrompt> list : perTask) {
                if (i < list.size() && out.size() < prompts) {
                    int[] tokens = model.tokenizer().encodePrompt(list.get(i).text());
                    Sampler.validatePrompt(model, tokens, probe);
                    out.add(tokens);
                }
            }
        }
        return out;
    }

    private void runGroupSize(String name, PolicyModel model, PolicyTrainer trainer, List<int[]> encoded, int g) {
        boolean sequential = !paths.equals("batched");
        boolean batched = !paths.equals("sequential");
        double[] seq = new double[repeats];
        double[] bat = new double[repeats];
        double[] learn = new double[repeats];
        double[] multi = new double[repeats];
        boolean identical = true;
        boolean multiIdentical = true;
        for (int r = 0; r < warmupRounds + repeats; r++) {
            boolean sequentialFirst = r % 2 == 0;
            Block s = null;
            Block b = null;
            Block m = multiGroup && !sequentialFirst ? multiBlock(model, encoded, g) : null;
            for (int half = 0; half < 2; half++) {
                if ((half == 0) == sequentialFirst) {
                    s = sequential ? block(model, encoded, g, true) : null;
                } else {
                    b = batched ? block(model, encoded, g, false) : null;
                }
            }
            if (multiGroup && sequentialFirst) {
                m = multiBlock(model, encoded, g);
            }
            if (s != null && b != null) {
                identical &= s.tokens.equals(b.tokens);
            }
            if (m != null && b != null) {
                multiIdentical &= m.tokens.equals(b.tokens);
            }
            if (m != null && r >= warmupRounds) {
                multi[r - warmupRounds] = m.tokensPerSecond();
            }
            if (m != null) {
                System.out.printf(Locale.ROOT, "%-9s G=%-3d %s %d: all %d groups in one batch %s | one batch / batched %s%n", name, g,
                        r < warmupRounds ? "warm-up" : "round  ", r < warmupRounds ? r + 1 : r - warmupRounds + 1, encoded.size(), m.describe(),
                        b == null ? "-" : String.format(Locale.ROOT, "%.2f", m.tokensPerSecond() / b.tokensPerSecond()));
            }
            Block sampled = b != null ? b : s;
            long t0 = System.nanoTime();
            StepResult step = trainer == null ? null : trainer.step(sampled.sequences());
            double stepMs = (System.nanoTime() - t0) / 1e6;
            if (step != null && r == 0) {
                System.out.printf(Locale.ROOT, "%-9s G=%-3d learner's first step on these groups (same weights): ratio/mean %.6f, "
                        + "clip fraction %.4f%n", name, g, step.ratioMean(), step.clipFraction());
            }
            double learnRate = step == null ? Double.NaN : step.tokens() / (stepMs / 1e3);
            boolean warm = r < warmupRounds;
            if (!warm) {
                seq[r - warmupRounds] = s == null ? Double.NaN : s.tokensPerSecond();
                bat[r - warmupRounds] = b == null ? Double.NaN : b.tokensPerSecond();
                learn[r - warmupRounds] = learnRate;
            }
            System.out.printf(Locale.ROOT, "%-9s G=%-3d %s %d (%s first): sequential %s | batched %s | batched/sequential %s | "
                            + "learner step %s | load %s%n",
                    name, g, warm ? "warm-up" : "round  ", warm ? r + 1 : r - warmupRounds + 1, sequentialFirst ? "sequential" : "batched",
                    s == null ? "-" : s.describe(), b == null ? "-" : b.describe(),
                    s == null || b == null ? "-" : String.format(Locale.ROOT, "%.2f", b.tokensPerSecond() / s.tokensPerSecond()),
                    step == null ? "-" : String.format(Locale.ROOT, "%.0f tokens/s (%d tokens, %.0f ms)", learnRate, step.tokens(), stepMs),
                    loadAverage());
        }
        if (trainer != null) {
            Spread learnRate = Spread.of(learn);
            double[] ratio = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                ratio[r] = (batched ? bat[r] : seq[r]) / learn[r];
            }
            Spread paired = Spread.of(ratio);
            System.out.printf(Locale.ROOT, "%-9s G=%-3d learner step (bare PolicyTrainer.step on the %d groups of a block): median %s tokens/s "
                            + "| %s sampling / learner: per-round median %.2f [min %.2f, max %.2f]%n", name, g, encoded.size(), learnRate.format(),
                    batched ? "batched" : "sequential", paired.median(), paired.min(), paired.max());
        }
        if (multiGroup && batched) {
            double[] paired = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                paired[r] = multi[r] / bat[r];
            }
            Spread ratio = Spread.of(paired);
            System.out.printf(Locale.ROOT, "%-9s G=%-3d tokens/s: all %d groups in one batch median %s | one batch / batched per-round median "
                            + "%.2f [min %.2f, max %.2f] | same tokens as batched: %s%n", name, g, encoded.size(), Spread.of(multi).format(),
                    ratio.median(), ratio.min(), ratio.max(), multiIdentical ? "yes" : "NO");
        }
        if (sequential && batched) {
            Spread seqRate = Spread.of(seq);
            Spread batRate = Spread.of(bat);
            double[] paired = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                paired[r] = bat[r] / seq[r];
            }
            Spread ratio = Spread.of(paired);
            System.out.printf(Locale.ROOT, "%-9s G=%-3d tokens/s: sequential median %s | batched median %s | batched/sequential (ratio of "
                            + "medians) %.2f; per-round ratios: median %.2f [min %.2f, max %.2f] | same tokens on both paths: %s | load %s%n",
                    name, g, seqRate.format(), batRate.format(), batRate.median() / seqRate.median(), ratio.median(), ratio.min(), ratio.max(),
                    identical ? "yes" : "NO", loadAverage());
        } else {
            Spread rate = Spread.of(sequential ? seq : bat);
            System.out.printf(Locale.ROOT, "%-9s G=%-3d tokens/s: %s median %s | load %s%n", name, g, paths, rate.format(), loadAverage());
        }
    }

    /** One block: a group for every prompt; the completions are kept to compare the two paths and to train on. */
    private record Block(long nanos, List<List<Integer>> tokens, List<TrainingSequence> sequences) {
        long tokenCount() {
            return tokens.stream().mapToLong(List::size).sum();
        }

        double tokensPerSecond() {
            return tokenCount() / (nanos / 1e9);
        }

        String describe() {
            return String.format(Locale.ROOT, "%8.0f tokens/s (%d tokens, %.0f ms)", tokensPerSecond(), tokenCount(), nanos / 1e6);
        }
    }

    private Block block(PolicyModel model, List<int[]> encoded, int g, boolean sequential) {
        List<List<SampledCompletion>> groups = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int p = 0; p < encoded.size(); p++) {
            SamplingConfig config = SamplingConfig.defaults(maxNewTokens, 1000 + p);
            groups.add(sequential ? sampler.sampleGroupSequentially(model, encoded.get(p), g, config)
                    : sampler.sampleGroup(model, encoded.get(p), g, config));
        }
        long nanos = System.nanoTime() - t0;
        List<List<Integer>> tokens = new ArrayList<>();
        List<TrainingSequence> sequences = new ArrayList<>();
        for (int p = 0; p < groups.size(); p++) {
            for (SampledCompletion c : groups.get(p)) {
                tokens.add(java.util.Arrays.stream(c.tokens()).boxed().toList());
                // Advantages of alternating sign: a real update, the learner's cost does not depend on their values.
                sequences.add(new TrainingSequence(encoded.get(p), c.tokens(), c.logProbs(), sequences.size() % 2 == 0 ? 1.0 : -1.0));
            }
        }
        return new Block(nanos, tokens, sequences);
    }

    /** All the block's groups as one batch; same seeds as {@link #block}. */
    private Block multiBlock(PolicyModel model, List<int[]> encoded, int g) {
        List<SamplingConfig> configs = new ArrayList<>();
        for (int p = 0; p < encoded.size(); p++) {
            configs.add(SamplingConfig.defaults(maxNewTokens, 1000 + p));
        }
        long t0 = System.nanoTime();
        List<List<SampledCompletion>> groups = sampler.sampleGroups(model, encoded, g, configs);
        long nanos = System.nanoTime() - t0;
        List<List<Integer>> tokens = new ArrayList<>();
        for (List<SampledCompletion> group : groups) {
            for (SampledCompletion c : group) {
                tokens.add(java.util.Arrays.stream(c.tokens()).boxed().toList());
            }
        }
        return new Block(nanos, tokens, List.of());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "n/a";
        }
    }
}
