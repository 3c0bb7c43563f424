package dev.gopo.policy.sampling;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.model.KvCache;
import dev.gopo.policy.model.Scalars;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Samples completions from a {@link PolicyModel} and records their behaviour log-probs.
 *
 * <p>The G completions of a group are sampled as one batch: the shared prompt is run once with
 * batch 1, its KV cache is repeated G times, and then every step feeds G new tokens. A row stops
 * at EOS (recorded, EOS included) or after {@code maxNewTokens}. Rows that have stopped are still
 * computed (fed PAD) until the whole group stops, but nothing more is recorded for them.
 *
 * <p>Recorded log-probs are those of the distribution each token was actually drawn from:
 * {@code log_softmax(logits / temperature)[token]} (the same quantity as
 * {@link PolicyModel#tokenLogProbs}) without top-k/top-p, and that minus the log of the kept
 * probability mass when top-k/top-p truncates the draw (see {@link SampledCompletion}).
 *
 * <p>Randomness: row {@code i} of a group draws from its own {@code SplittableRandom} seeded from
 * {@code (seed, i)}, one uniform per token, so results are repeatable and
 * {@code sample(...)} equals row 0 of {@code sampleGroup(...)} with the same seed. Stateless and
 * thread-safe.
 *
 * <p>Sample from a model that is not being trained (a loaded or frozen copy): PyTorch's autograd
 * is on by default on threads other than the engine's first, so sampling the trainer's policy
 * there would record a useless autograd graph (correct results, more time and memory).
 */
public final class Sampler {

    /** Samples one completion using the KV cache. */
    public SampledCompletion sample(PolicyModel model, int[] promptTokens, SamplingConfig config) {
        return sampleGroup(model, promptTokens, 1, config).get(0);
    }

    /** Samples a group of {@code groupSize} completions of one prompt, batched, using the KV cache. */
    public List<SampledCompletion> sampleGroup(PolicyModel model, int[] promptTokens, int groupSize,
                                               SamplingConfig config) {
        return run(model, promptTokens, groupSize, config, true);
    }

    /**
     * Samples the groups of several prompts as one batch: {@code prompts.size() * groupSize} rows per
     * forward pass, the prompts left-padded to the longest (padding masked, positions counted from each
     * prompt's first token; see {@link dev.gopo.policy.model.CausalTransformer#forward(ai.djl.ndarray.NDArray,
     * KvCache, int[])}). Group {@code p} is what {@link #sampleGroup} gives for {@code prompts.get(p)} with
     * {@code configs.get(p)}: the same tokens (each row keeps its own random stream), log-probs equal to
     * float rounding. The configs may differ only in their seeds.
     *
     * @return one list of {@code groupSize} completions per prompt, in order
     */
    public List<List<SampledCompletion>> sampleGroups(PolicyModel model, List<int[]> prompts, int groupSize,
                                                      List<SamplingConfig> configs) {
        if (prompts.isEmpty() || prompts.size() != configs.size()) {
            throw new IllegalArgumentException("need one SamplingConfig per prompt and at least one prompt, got "
                    + prompts.size() + " prompts and " + configs.size() + " configs");
        }
        SamplingConfig first = configs.get(0);
        long[] seeds = new long[configs.size()];
        for (int p = 0; p < configs.size(); p++) {
            if (!configs.get(p).withSeed(first.seed()).equals(first)) {
                throw new IllegalArgumentException("groups sampled in one batch must share temperature, topK, topP and "
                        + "maxNewTokens; config " + p + " is " + configs.get(p) + ", config 0 is " + first);
            }
            seeds[p] = configs.get(p).seed();
        }
        List<SampledCompletion> rows = run(model, prompts, groupSize, first, seeds, true);
        List<List<SampledCompletion>> out = new ArrayList<>(prompts.size());
        for (int p = 0; p < prompts.size(); p++) {
            out.add(List.copyOf(rows.subList(p * groupSize, (p + 1) * groupSize)));
        }
        return out;
    }

    /**
     * The same G completions as {@link #sampleGroup}, but one after another: row {@code r} is a
     * batch-1 pass (its own prompt pass and KV cache) with row {@code r}'s random stream
     * ({@link #rowSeed}). The baseline of {@code gopo bench-generator}, and the reference the
     * batched path is tested against: the rows draw the same tokens, with log-probs equal to
     * float rounding (batch 1 and batch G take different matmul kernels).
     */
    public List<SampledCompletion> sampleGroupSequentially(PolicyModel model, int[] promptTokens, int groupSize,
                                                           SamplingConfig config) {
        validatePrompt(model, promptTokens, config);
        requireGroupSize(groupSize);
        List<SampledCompletion> out = new ArrayList<>(groupSize);
        for (int r = 0; r < groupSize; r++) {
            out.add(run(model, promptTokens, 1, config.withSeed(rowSeed(config.seed(), r)), true).get(0));
        }
        return out;
    }

    /**
     * Seed of row {@code row}'s random stream in a group sampled with {@code seed}:
     * {@code seed + row * 0x9E3779B97F4A7C15} (row 0 uses {@code seed} itself).
     */
    public static long rowSeed(long seed, int row) {
        return seed + row * 0x9E3779B97F4A7C15L;
    }

    /**
     * Like {@link #sample} but recomputes the whole prefix at every step: the reference for the
     * KV-cache equality test and the baseline of the sampling benchmark.
     */
    public SampledCompletion sampleWithoutCache(PolicyModel model, int[] promptTokens, SamplingConfig config) {
        return sampleGroupWithoutCache(model, promptTokens, 1, config).get(0);
    }

    /** Like {@link #sampleGroup} but recomputes the whole prefix at every step. */
    public List<SampledCompletion> sampleGroupWithoutCache(PolicyModel model, int[] promptTokens, int groupSize,
                                                           SamplingConfig config) {
        return run(model, promptTokens, groupSize, config, false);
    }

    /**
     * Checks that a prompt can be sampled from: non-empty, ids in the vocabulary, and prompt plus
     * {@code maxNewTokens} within the model context.
     *
     * @throws IllegalArgumentException saying which condition fails
     */
    public static void validatePrompt(PolicyModel model, int[] promptTokens, SamplingConfig config) {
        if (promptTokens.length == 0) {
            throw new IllegalArgumentException("prompt is empty: start it with BOS (Tokenizer.encodePrompt)");
        }
        int vocab = model.config().vocabSize();
        for (int i = 0; i < promptTokens.length; i++) {
            if (promptTokens[i] < 0 || promptTokens[i] >= vocab) {
                throw new IllegalArgumentException("prompt token " + promptTokens[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        int context = model.config().maxSeqLen();
        if ((long) promptTokens.length + config.maxNewTokens() > context) {
            throw new IllegalArgumentException("prompt of " + promptTokens.length + " tokens plus maxNewTokens "
                    + config.maxNewTokens() + " exceeds the model context " + context
                    + ": shorten the prompt or lower maxNewTokens");
        }
    }

    private List<SampledCompletion> run(PolicyModel model, int[] promptTokens, int groupSize,
                                        SamplingConfig config, boolean useCache) {
        return run(model, List.of(promptTokens), groupSize, config, new long[] {config.seed()}, useCache);
    }

    /**
     * Rows {@code p * groupSize + g}: prompt {@code p}, row {@code g} of its group, drawing from
     * {@code rowSeed(seeds[p], g)}. {@code config}'s own seed is not used.
     */
    private List<SampledCompletion> run(PolicyModel model, List<int[]> prompts, int groupSize,
                                        SamplingConfig config, long[] seeds, boolean useCache) {
        for (int[] promptTokens : prompts) {
            validatePrompt(model, promptTokens, config);
        }
        requireGroupSize(groupSize);
        int vocab = model.config().vocabSize();
        TokenSelector selector = new TokenSelector(config);
        int rowCount = prompts.size() * groupSize;
        SplittableRandom[] randoms = new SplittableRandom[rowCount];
        int[][] tokens = new int[rowCount][config.maxNewTokens()];
        float[][] logProbs = new float[rowCount][config.maxNewTokens()];
        int[] lengths = new int[rowCount];
        boolean[] ended = new boolean[rowCount];
        for (int r = 0; r < rowCount; r++) {
            randoms[r] = new SplittableRandom(rowSeed(seeds[r / groupSize], r % groupSize));
        }
        try (NDManager session = model.manager().newSubManager();
             LogProbSource source = useCache
                     ? new CachedSource(model, session, config.temperature())
                     : new RecomputeSource(model, session, config.temperature())) {
            float[] rows = source.first(prompts, groupSize);                      // (rows, vocab) flat
            for (int step = 0; step < config.maxNewTokens(); step++) {
                int[] next = new int[rowCount];
                int active = 0;
                for (int r = 0; r < rowCount; r++) {
                    if (ended[r]) {
                        next[r] = Tokenizer.PAD;
                        continue;
                    }
                    TokenSelector.Selection selection = selector.select(rows, r, vocab, randoms[r]);
                    int token = selection.token();
                    tokens[r][lengths[r]] = token;
                    logProbs[r][lengths[r]] = selection.logProb();
                    lengths[r]++;
                    next[r] = token;
                    if (token == Tokenizer.EOS) {
                        ended[r] = true;
                    } else {
                        active++;
                    }
                }
                if (active == 0 || step == config.maxNewTokens() - 1) {
                    break;
                }
                rows = source.next(next);
            }
        }
        List<SampledCompletion> out = new ArrayList<>(rowCount);
        for (int r = 0; r < rowCount; r++) {
            out.add(new SampledCompletion(Arrays.copyOf(tokens[r], lengths[r]),
                    Arrays.copyOf(logProbs[r], lengths[r]), ended[r]));
        }
        return out;
    }

    private static void requireGroupSize(int groupSize) {
        if (groupSize < 1) {
            throw new IllegalArgumentException("groupSize must be >= 1, got " + groupSize);
        }
    }

    /** Produces next-token log-probs {@code (G, vocab)} as CPU floats. */
    private interface LogProbSource extends AutoCloseable {
        float[] first(List<int[]> prompts, int groupSize);

        float[] next(int[] lastTokens);

        @Override
        void close();
    }

    /** log_softmax(logits / temperature) over the last position: {@code (B, S, V) -> (B, V)} floats. */
    private static float[] lastPositionLogProbs(NDArray logits, double temperature, int repeat) {
        long steps = logits.getShape().get(1);
        NDArray last = logits.get(new NDIndex(":, {}, :", steps - 1));                 // (B, V)
        if (repeat > 1) {
            last = last.repeat(0, repeat);                                               // (G, V)
        }
        return Scalars.div(last, (float) temperature, last.getManager()).logSoftmax(-1).toFloatArray();
    }

    /** Incremental decoding: one new position per step against a {@link KvCache}. */
    private static final class CachedSource implements LogProbSource {
        private final PolicyModel model;
        private final NDManager session;
        private final double temperature;
        private final KvCache cache;
        /** Per row, leading PAD positions of a multi-prompt batch; null for one prompt. */
        private int[] leftPadding;

        CachedSource(PolicyModel model, NDManager session, double temperature) {
            this.model = model;
            this.session = session;
            this.temperature = temperature;
            this.cache = model.newKvCache(session);
        }

        @Override
        public float[] first(List<int[]> prompts, int groupSize) {
            try (NDManager step = session.newSubManager()) {
                if (prompts.size() == 1) {
                    int[] prompt = prompts.get(0);
                    NDArray tokens = step.create(prompt, new Shape(1, prompt.length));  // (1, P)
                    float[] rows = lastPositionLogProbs(model.logits(tokens, cache), temperature, groupSize);
                    cache.repeatBatch(groupSize);
                    return rows;
                }
                int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
                int[] flat = new int[prompts.size() * longest];                         // left padded with PAD = 0
                int[] promptPadding = new int[prompts.size()];
                leftPadding = new int[prompts.size() * groupSize];
                for (int p = 0; p < prompts.size(); p++) {
                    int[] prompt = prompts.get(p);
                    promptPadding[p] = longest - prompt.length;
                    System.arraycopy(prompt, 0, flat, p * longest + promptPadding[p], prompt.length);
                    Arrays.fill(leftPadding, p * groupSize, (p + 1) * groupSize, promptPadding[p]);
                }
                NDArray tokens = step.create(flat, new Shape(prompts.size(), longest));  // (B, P)
                float[] rows = lastPositionLogProbs(model.logits(tokens, cache, promptPadding), temperature, groupSize);
                cache.repeatBatch(groupSize);                                             // (B * G, ...)
                return rows;
            }
        }

        @Override
        public float[] next(int[] lastTokens) {
            try (NDManager step = session.newSubManager()) {
                NDArray tokens = step.create(lastTokens, new Shape(lastTokens.length, 1)); // (rows, 1)
                return lastPositionLogProbs(model.logits(tokens, cache, leftPadding), temperature, 1);
            }
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** No cache: the full prefix of every row is recomputed at each step. */
    private static final class RecomputeSource implements LogProbSource {
        private final PolicyModel model;
        private final NDManager session;
        private final double temperature;
        private int[][] sequences;

        RecomputeSource(PolicyModel model, NDManager session, double temperature) {
            this.model = model;
            this.session = session;
            this.temperature = temperature;
        }

        @Override
        public float[] first(List<int[]> prompts, int groupSize) {
            if (prompts.size() != 1) {
                throw new IllegalArgumentException("the recompute path samples one prompt at a time");
            }
            int[] prompt = prompts.get(0);
            sequences = new int[groupSize][];
            Arrays.fill(sequences, prompt.clone());
            try (NDManager step = session.newSubManager()) {
                NDArray tokens = step.create(prompt, new Shape(1, prompt.length));      // (1, P)
                return lastPositionLogProbs(model.logits(tokens, null), temperature, groupSize);
            }
        }

        @Override
        public float[] next(int[] lastTokens) {
            int rows = sequences.length;
            int length = sequences[0].length + 1;
            int[] flat = new int[rows * length];
            for (int r = 0; r < rows; r++) {
                int[] grown = Arrays.copyOf(sequences[r], length);
                grown[length - 1] = lastTokens[r];
                sequences[r] = grown;
                System.arraycopy(grown, 0, flat, r * length, length);
            }
            try (NDManager step = session.newSubManager()) {
                NDArray tokens = step.create(flat, new Shape(rows, length));            // (G, L)
                return lastPositionLogProbs(model.logits(tokens, null), temperature, 1);
            }
        }

        @Override
        public void close() {
            // Nothing beyond the session manager, which the caller closes.
        }
    }
}
