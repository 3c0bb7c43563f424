package dev.gopo.tasks.warmstart;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.Tokenizer;
import dev.gopo.policy.training.AdamW;
import dev.gopo.policy.training.GradientStep;
import dev.gopo.tasks.optim.ShuffledBatches;
import dev.gopo.tasks.optim.SkippedSteps;
import dev.gopo.tasks.optim.TrainingSchedule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Supervised fine-tuning of a {@link PolicyModel} on demonstrations: the reference policy that
 * RL starts from and that the KL penalty and the judge compare against. Per batch, token-level
 * cross-entropy on completion tokens only (the prompt is context, not a target):
 * <pre>
 * L = - sum_{i, t in completion_i} log p_theta(y_{i,t} | x_i, y_{i,<t}) / sum_i |completion_i|
 * </pre>
 * where each completion ends with EOS (so the policy learns to stop) and
 * {@code log p} is {@link PolicyModel#tokenLogProbs} at temperature 1.
 */
public final class SupervisedWarmStart {

    private static final Logger log = LoggerFactory.getLogger(SupervisedWarmStart.class);

    /** Learning rate of the warm start: training from scratch, so much larger than an RL fine-tuning rate. */
    public static final double LEARNING_RATE = 2e-3;

    private final TrainingSchedule config;

    /** The default schedule: AdamW at {@link #LEARNING_RATE} after 30 warm-up steps, loss logged every 50 steps. */
    public static TrainingSchedule schedule(int steps, int batchSize, long seed) {
        return TrainingSchedule.of(steps, batchSize, LEARNING_RATE, 30, seed, 50);
    }

    public SupervisedWarmStart(TrainingSchedule config) {
        this.config = config;
    }

    /**
     * Trains {@code policy} in place on {@code examples}.
     *
     * @throws IllegalArgumentException when there are no examples, or one does not fit the context
     */
    public WarmStartReport train(PolicyModel policy, List<SupervisedExample> examples) {
        if (examples.isEmpty()) {
            throw new IllegalArgumentException("no demonstrations to learn from");
        }
        long started = System.nanoTime();
        List<int[][]> encoded = new ArrayList<>(examples.size());
        for (SupervisedExample e : examples) {
            encoded.add(encode(policy, e));
        }
        policy.attachGradients();
        var parameters = policy.weights().asMap();
        ShuffledBatches<int[][]> batches = new ShuffledBatches<>(encoded, config.seed());
        double windowLoss = 0;
        int windowSteps = 0;
        double firstLoss = Double.NaN;
        double lastLoss = Double.NaN;
        try (AdamW optimizer = new AdamW(config.optimizer(), parameters, policy.manager())) {
            GradientStep step = new GradientStep(parameters, optimizer, config.optimizer().maxGradNorm());
            SkippedSteps skipped = new SkippedSteps("supervised warm start", config.steps());
            for (int s = 1; s <= config.steps(); s++) {
                List<int[][]> batch = batches.next(config.batchSize());
                try (NDManager scratch = policy.manager().newSubManager()) {
                    GradientStep.Outcome<NDArray> r = step.run(scratch, m -> loss(policy, batch, m));
                    skipped.record(r, s, log);
                    if (r.applied()) {
                        windowLoss += r.loss();
                        windowSteps++;
                    }
                }
                if (s % config.logEvery() == 0 || s == config.steps()) {
                    lastLoss = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
                    if (Double.isNaN(firstLoss)) {
                        firstLoss = lastLoss;
                    }
                    log.info("supervised warm start: step {}/{} loss {}", s, config.steps(),
                            String.format(Locale.ROOT, "%.4f", lastLoss));
                    windowLoss = 0;
                    windowSteps = 0;
                }
            }
        }
        return new WarmStartReport(config.steps(), firstLoss, lastLoss, (System.nanoTime() - started) / 1e9);
    }

    /** {@code [prompt tokens (BOS .. SEP), completion tokens (.. EOS)]}, checked against the context. */
    static int[][] encode(PolicyModel policy, SupervisedExample e) {
        Tokenizer tokenizer = policy.tokenizer();
        int[] prompt = tokenizer.encodePrompt(e.prompt());
        int[] body = tokenizer.encode(e.completion());
        int[] completion = java.util.Arrays.copyOf(body, body.length + 1);
        completion[body.length] = Tokenizer.EOS;
        if (prompt.length + completion.length > policy.config().maxSeqLen()) {
            throw new IllegalArgumentException("demonstration '" + e.prompt() + "' -> '" + e.completion() + "' needs "
                    + (prompt.length + completion.length) + " tokens but the policy context is "
                    + policy.config().maxSeqLen());
        }
        return new int[][] {prompt, completion};
    }

    /**
     * Masked mean negative log-likelihood of the completion tokens. Rows are right-padded with
     * PAD, which causal attention never lets a real token see. Log-prob column {@code j} scores
     * token {@code j + 1}, so completion token {@code k} of a row with prompt length {@code P}
     * sits in column {@code P - 1 + k}.
     */
    private static NDArray loss(PolicyModel policy, List<int[][]> batch, NDManager scratch) {
        int b = batch.size();
        int length = 0;
        for (int[][] row : batch) {
            length = Math.max(length, row[0].length + row[1].length);
        }
        int[] tokens = new int[b * length];
        float[] mask = new float[b * (length - 1)];
        for (int i = 0; i < b; i++) {
            int[] prompt = batch.get(i)[0];
            int[] completion = batch.get(i)[1];
            System.arraycopy(prompt, 0, tokens, i * length, prompt.length);
            System.arraycopy(completion, 0, tokens, i * length + prompt.length, completion.length);
            for (int k = 0; k < completion.length; k++) {
                mask[i * (length - 1) + prompt.length - 1 + k] = 1f;
            }
        }
        NDArray tokenArray = scratch.create(tokens, new Shape(b, length));                     // (B, T)
        NDArray maskArray = scratch.create(mask, new Shape(b, length - 1));                    // (B, T-1)
        NDArray logp = policy.tokenLogProbs(tokenArray, 1.0);                                  // (B, T-1)
        return logp.mul(maskArray).sum().neg().div(maskArray.sum());                           // ()
    }
}
