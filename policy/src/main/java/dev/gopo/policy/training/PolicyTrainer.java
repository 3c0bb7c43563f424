package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One clipped policy update per call: the trained policy, its frozen reference, AdamW and the
 * loss. Each {@link #step} builds padded {@code (B, T)} tensors, runs the reference forward, one
 * policy forward/backward ({@link ClippedSurrogateLoss}), global gradient-norm clipping and one
 * AdamW update, all temporaries in a child manager closed at the end of the step.
 *
 * <p>The trainer owns the models it is given and closes them. Only one trainer may be stepping
 * per JVM at a time (the PyTorch engine allows one active {@code GradientCollector}).
 *
 * <p>Checkpoint layout written by {@link #save}: {@code policy/} and {@code reference/} (model
 * directories, see {@link PolicyModel}), {@code optimizer.bin} (AdamW moments and step count),
 * {@code trainer.json}. Files are written atomically one by one; for an all-or-nothing checkpoint
 * save into a fresh directory and rename it when everything (e.g. also consumer offsets) is in.
 */
public final class PolicyTrainer implements AutoCloseable {

    public static final String POLICY_DIR = "policy";
    public static final String REFERENCE_DIR = "reference";
    public static final String OPTIMIZER_FILE = "optimizer.bin";
    public static final String TRAINER_FILE = "trainer.json";

    /** JSON summary of a checkpoint. */
    record CheckpointInfo(long step, String policySha256, String referenceSha256, TrainerConfig config) {}

    private final PolicyModel policy;
    private final PolicyModel reference;
    private final TrainerConfig config;
    private final ClippedSurrogateLoss loss;
    private final AdamW optimizer;
    private final GradientStep gradientStep;

    private PolicyTrainer(PolicyModel policy, PolicyModel reference, TrainerConfig config) {
        if (!policy.config().equals(reference.config())) {
            throw new IllegalArgumentException("policy and reference have different shapes: " + policy.config()
                    + " vs " + reference.config());
        }
        if (!policy.device().equals(reference.device())) {
            throw new IllegalArgumentException("policy is on " + policy.device() + " but reference on "
                    + reference.device() + ": load both with the same device setting");
        }
        policy.attachGradients();
        this.policy = policy;
        this.reference = reference;
        this.config = config;
        this.loss = new ClippedSurrogateLoss(config.loss());
        this.optimizer = new AdamW(config.optimizer(), policy.weights().asMap(), policy.manager());
        this.gradientStep = new GradientStep(policy.weights().asMap(), optimizer, config.optimizer().maxGradNorm());
    }

    /**
     * Trains {@code policy}, with a frozen copy of its current weights as the reference. Takes
     * ownership of {@code policy}; if this throws, the caller still owns (and must close) it.
     *
     * @throws IllegalStateException when {@code policy} is a frozen copy
     */
    public static PolicyTrainer create(PolicyModel policy, TrainerConfig config) {
        PolicyModel reference = policy.copyFrozen();
        try {
            return new PolicyTrainer(policy, reference, config);
        } catch (RuntimeException e) {
            reference.close();
            throw e;
        }
    }

    /**
     * Trains {@code policy} against {@code reference} (normally the initial policy, loaded with
     * {@link PolicyModel#loadFrozen}). Takes ownership of both; if this throws, the caller keeps them.
     */
    public static PolicyTrainer create(PolicyModel policy, PolicyModel reference, TrainerConfig config) {
        if (policy == reference) {
            throw new IllegalArgumentException("the reference must be a separate copy: use policy.copyFrozen()");
        }
        return new PolicyTrainer(policy, reference, config);
    }

    /**
     * Restores a checkpoint written by {@link #save}: policy weights, reference weights, AdamW
     * moments and step count. {@code config} may differ from the saved one (e.g. a new learning
     * rate), but the optimizer state must fit the model.
     */
    public static PolicyTrainer load(Path dir, TrainerConfig config) throws IOException {
        Path infoFile = dir.resolve(TRAINER_FILE);
        CheckpointInfo info = Json.read(infoFile, CheckpointInfo.class);
        PolicyModel policy = PolicyModel.load(dir.resolve(POLICY_DIR), info.policySha256());
        PolicyModel reference = null;
        PolicyTrainer trainer = null;
        try {
            reference = PolicyModel.loadFrozen(dir.resolve(REFERENCE_DIR));
            trainer = new PolicyTrainer(policy, reference, config);
            trainer.optimizer.loadState(dir.resolve(OPTIMIZER_FILE));
            if (trainer.optimizer.step() != info.step()) {
                throw new IOException(dir + ": optimizer state is at step " + trainer.optimizer.step()
                        + " but " + TRAINER_FILE + " says " + info.step() + ": the checkpoint is inconsistent");
            }
            return trainer;
        } catch (IOException | RuntimeException e) {
            if (trainer != null) {
                trainer.close();
            } else {
                policy.close();
                if (reference != null) {
                    reference.close();
                }
            }
            throw e;
        }
    }

    /**
     * One optimisation step on {@code batch} with the loss averaged over its completion tokens
     * ({@link LossNormaliser#tokenMean()}): forward, backward, clip, AdamW update.
     *
     * @throws IllegalArgumentException for an invalid batch (nothing is changed)
     * @throws NonFiniteStepException  when the loss or gradient norm is not finite, also when the
     *     step is recomputed ({@link GradientStep}); the update is skipped, so weights and optimizer
     *     state are unchanged
     */
    public StepResult step(List<TrainingSequence> batch) {
        return step(batch, LossNormaliser.tokenMean());
    }

    /**
     * One optimisation step on {@code batch} with the loss divided as {@code normaliser} says
     * (e.g. {@link LossNormaliser#constant(int)} for Dr. GRPO): forward, backward, clip, AdamW update.
     * The metrics of the result other than {@code loss} are token means either way.
     *
     * @throws IllegalArgumentException for an invalid batch, or a completion longer than a constant
     *     normaliser's {@code maxCompletionTokens} (nothing is changed)
     * @throws NonFiniteStepException  when the loss or gradient norm is not finite, also when the
     *     step is recomputed ({@link GradientStep}); the update is skipped, so weights and optimizer
     *     state are unchanged
     */
    public StepResult step(List<TrainingSequence> batch, LossNormaliser normaliser) {
        long started = System.nanoTime();
        Objects.requireNonNull(normaliser, "normaliser");
        for (int i = 0; i < batch.size(); i++) {
            normaliser.requireFits(batch.get(i).completionTokens().length, i);
        }
        PaddedBatch padded = PaddedBatch.of(batch, policy.config().maxSeqLen(), policy.config().vocabSize());
        int b = padded.batchSize;
        int t = padded.length;
        try (NDManager step = policy.manager().newSubManager()) {
            NDArray tokens = step.create(padded.tokens, new Shape(b, t));              // (B, T)
            NDArray mask = step.create(padded.mask, new Shape(b, t - 1));              // (B, T-1)
            NDArray oldLogp = step.create(padded.oldLogProbs, new Shape(b, t - 1));    // (B, T-1)
            NDArray advantages = step.create(padded.advantages, new Shape(b));         // (B)
            NDArray refLogp = reference.tokenLogProbs(tokens, config.temperature());   // (B, T-1)

            GradientStep.Outcome<LossTerms> outcome = gradientStep.run(step,
                    m -> loss.compute(policy.tokenLogProbs(tokens, config.temperature()), oldLogp, refLogp, advantages, mask,
                            normaliser),
                    LossTerms::loss);
            if (!outcome.applied()) {
                throw new NonFiniteStepException("non-finite loss " + outcome.loss() + " or gradient norm " + outcome.gradNorm()
                        + " at step " + (optimizer.step() + 1) + ", also when recomputed: update skipped, weights unchanged. "
                        + "Check behaviour log-probs and advantages, or lower the learning rate", outcome.loss(), outcome.gradNorm());
            }
            LossTerms terms = outcome.forward();
            long millis = (System.nanoTime() - started) / 1_000_000;
            return new StepResult(optimizer.step(), outcome.loss(), terms.policyLoss(), terms.kl(), terms.ratioMean(),
                    terms.clipFraction(), outcome.gradNorm(), padded.completionTokens, outcome.learningRate(), millis,
                    outcome.recomputed());
        }
    }

    /** Writes policy, reference, optimizer state and step count into {@code dir}. */
    public void save(Path dir) throws IOException {
        write(dir, policy, reference, optimizer::saveState, optimizer.step(), config);
    }

    /**
     * Copies of everything {@link #save} writes (policy and reference weights, AdamW moments and step count), taken
     * between steps so that another thread can write them ({@link Snapshot#save}, the layout of {@link #save}) while
     * this trainer goes on stepping. The copies are independent of the trainer (it may even be closed meanwhile); the
     * caller closes the snapshot once it is written.
     */
    public Snapshot snapshot() {
        PolicyModel policyCopy = policy.copyFrozen();
        PolicyModel referenceCopy = null;
        NDManager stateManager = null;
        try {
            referenceCopy = reference.copyFrozen();
            stateManager = NDManager.newBaseManager(policy.device());
            return new Snapshot(policyCopy, referenceCopy, stateManager, optimizer.copyState(stateManager), config);
        } catch (RuntimeException e) {
            policyCopy.close();
            if (referenceCopy != null) {
                referenceCopy.close();
            }
            if (stateManager != null) {
                stateManager.close();
            }
            throw e;
        }
    }

    /** The state of a trainer at one step, copied by {@link #snapshot}; owns its arrays. */
    public static final class Snapshot implements AutoCloseable {
        private final PolicyModel policy;
        private final PolicyModel reference;
        private final NDManager stateManager;
        private final AdamW.State optimizerState;
        private final TrainerConfig config;

        private Snapshot(PolicyModel policy, PolicyModel reference, NDManager stateManager, AdamW.State optimizerState,
                         TrainerConfig config) {
            this.policy = policy;
            this.reference = reference;
            this.stateManager = stateManager;
            this.optimizerState = optimizerState;
            this.config = config;
        }

        /** Updates applied to the copied weights. */
        public long step() {
            return optimizerState.step();
        }

        /** The copied policy weights (e.g. to save them as an announced version); closed with the snapshot. */
        public PolicyModel policy() {
            return policy;
        }

        /** Writes the copy into {@code dir} exactly as {@link PolicyTrainer#save} would have at the copied step. */
        public void save(Path dir) throws IOException {
            write(dir, policy, reference, optimizerState::save, optimizerState.step(), config);
        }

        @Override
        public void close() {
            try {
                stateManager.close();
            } finally {
                try {
                    reference.close();
                } finally {
                    policy.close();
                }
            }
        }
    }

    /** Writes the optimizer state file. */
    @FunctionalInterface
    private interface StateWriter {
        void write(Path file) throws IOException;
    }

    private static void write(Path dir, PolicyModel policy, PolicyModel reference, StateWriter optimizerState, long step,
                              TrainerConfig config) throws IOException {
        Files.createDirectories(dir);
        String policySha = policy.save(dir.resolve(POLICY_DIR));
        String referenceSha = reference.save(dir.resolve(REFERENCE_DIR));
        optimizerState.write(dir.resolve(OPTIMIZER_FILE));
        Json.write(dir.resolve(TRAINER_FILE), new CheckpointInfo(step, policySha, referenceSha, config));
    }

    /** The model being trained; its weights change at every step. */
    public PolicyModel policy() {
        return policy;
    }

    /** The frozen reference of the KL penalty. */
    public PolicyModel reference() {
        return reference;
    }

    public TrainerConfig config() {
        return config;
    }

    /** Number of updates applied so far (restored from a checkpoint). */
    public long steps() {
        return optimizer.step();
    }

    @Override
    public void close() {
        try {
            optimizer.close();
        } finally {
            try {
                reference.close();
            } finally {
                policy.close();
            }
        }
    }
}
