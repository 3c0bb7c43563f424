package dev.gopo.tasks.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Activation;
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
 * Trains a {@link RewardModel} on preference pairs with the Bradley-Terry loss
 * <pre>
 * L = mean over pairs of  -log sigmoid(r(x, y_w) - r(x, y_l)) = softplus(r_l - r_w)
 * </pre>
 * which only constrains score differences: the scale and offset the model ends up with are
 * arbitrary, as for the paper's reward models. Batches are drawn from shuffled passes over the
 * training pairs; chosen and rejected completions share one forward pass.
 */
public final class RewardModelTrainer {

    private static final Logger log = LoggerFactory.getLogger(RewardModelTrainer.class);

    /** Learning rate of the reward models: a small network, so larger than the paper's 1e-6. */
    public static final double LEARNING_RATE = 1e-3;

    private final TrainingSchedule config;

    /** The default schedule: AdamW at {@link #LEARNING_RATE} after 50 warm-up steps, loss logged every 100 steps. */
    public static TrainingSchedule schedule(int steps, int batchSize, long seed) {
        return TrainingSchedule.of(steps, batchSize, LEARNING_RATE, 50, seed, 100);
    }

    public RewardModelTrainer(TrainingSchedule config) {
        this.config = config;
    }

    /**
     * Trains {@code model} in place and measures its accuracy.
     *
     * @param label   name for log lines (the task)
     * @param train   pairs to learn from
     * @param heldOut pairs of held-out prompts, only evaluated
     */
    public RewardTrainingReport train(String label, RewardModel model, List<PreferencePair> train,
                                      List<PreferencePair> heldOut) {
        if (train.isEmpty() || heldOut.isEmpty()) {
            throw new IllegalArgumentException("need training and held-out pairs, got " + train.size() + " and "
                    + heldOut.size());
        }
        long started = System.nanoTime();
        var parameters = model.parameters();
        for (NDArray p : parameters.values()) {
            p.setRequiresGradient(true);
        }
        ShuffledBatches<PreferencePair> batches = new ShuffledBatches<>(train, config.seed());
        double windowLoss = 0;
        int windowSteps = 0;
        double lastWindowLoss = Double.NaN;
        try (AdamW optimizer = new AdamW(config.optimizer(), parameters, model.manager())) {
            GradientStep step = new GradientStep(parameters, optimizer, config.optimizer().maxGradNorm());
            SkippedSteps skipped = new SkippedSteps("reward model " + label, config.steps());
            for (int s = 1; s <= config.steps(); s++) {
                List<PreferencePair> batch = batches.next(config.batchSize());
                RewardInputs inputs = inputsOf(batch, model.config());
                try (NDManager scratch = model.manager().newSubManager()) {
                    GradientStep.Outcome<NDArray> r = step.run(scratch, m -> loss(model, inputs, m, batch.size()));
                    skipped.record(r, s, log);
                    if (r.applied()) {
                        windowLoss += r.loss();
                        windowSteps++;
                    }
                }
                if (s % config.logEvery() == 0 || s == config.steps()) {
                    lastWindowLoss = windowSteps == 0 ? Double.NaN : windowLoss / windowSteps;
                    log.info("reward model {}: step {}/{} loss {}", label, s, config.steps(), format(lastWindowLoss));
                    windowLoss = 0;
                    windowSteps = 0;
                }
            }
        } finally {
            for (NDArray p : parameters.values()) {
                p.setRequiresGradient(false);
            }
        }
        PairwiseAccuracy trainAccuracy = PairwiseAccuracy.evaluate(model, train);
        PairwiseAccuracy heldOutAccuracy = PairwiseAccuracy.evaluate(model, heldOut);
        double seconds = (System.nanoTime() - started) / 1e9;
        log.info("reward model {}: held-out pairwise accuracy {} vs raters, {} vs gold ({} pairs); train {}; {} s",
                label, format(heldOutAccuracy.labelAccuracy()), format(heldOutAccuracy.goldAccuracy()),
                heldOutAccuracy.pairs(), format(trainAccuracy.labelAccuracy()), format(seconds));
        return new RewardTrainingReport(config.steps(), lastWindowLoss, trainAccuracy, heldOutAccuracy, seconds);
    }

    /** Chosen completions in rows {@code 0..B-1}, rejected ones in rows {@code B..2B-1}. */
    private static RewardInputs inputsOf(List<PreferencePair> batch, RewardModelConfig config) {
        List<String> prompts = new ArrayList<>(2 * batch.size());
        List<String> completions = new ArrayList<>(2 * batch.size());
        for (PreferencePair p : batch) {
            prompts.add(p.prompt());
            completions.add(p.chosen());
        }
        for (PreferencePair p : batch) {
            prompts.add(p.prompt());
            completions.add(p.rejected());
        }
        return RewardInputs.of(prompts, completions, config);
    }

    private static NDArray loss(RewardModel model, RewardInputs inputs, NDManager scratch, int b) {
        NDArray scores = model.network().forward(inputs, scratch);                        // (2B)
        NDArray chosen = scores.get(new NDIndex("0:{}", b));                              // (B)
        NDArray rejected = scores.get(new NDIndex("{}:", b));                             // (B)
        return Activation.softPlus(rejected.sub(chosen)).mean();                          // ()
    }

    private static String format(double x) {
        return String.format(Locale.ROOT, "%.4f", x);
    }
}
