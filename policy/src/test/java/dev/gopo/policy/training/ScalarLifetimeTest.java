package dev.gopo.policy.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Regression test for the fault once blamed on "transient" PyTorch errors (policy README,
 * "Scalars and autograd"). DJL 0.35.1's {@code NDArray.mul(Number)} (and {@code div}, {@code add},
 * {@code sub}, their in-place forms, {@code maximum}, {@code minimum}) wraps the number in a 0-dim
 * tensor over a Java direct buffer without copying it, runs the op and closes the wrapper at
 * once. Autograd keeps that tensor for backward; once the JVM has collected the buffer, backward
 * reads whatever the allocator put there next.
 *
 * <p>The tests provoke exactly that between forward and backward: {@code System.gc()}, then
 * thousands of 4-byte direct buffers holding {@code 1e30f}, which reuse the freed memory. On the
 * old code every trial of {@link #gradientsSurviveGarbageCollectionBetweenForwardAndBackward}
 * produced wrong gradients (see the policy README for the numbers); with every scalar an array
 * owned by the step's manager the gradients equal those of an undisturbed run, bit for bit.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ScalarLifetimeTest {

    private static final double TEMPERATURE = 0.7;
    private static final LossConfig LOSS = new LossConfig(0.2, 0.2, 0.04);
    private static final int TRIALS = 30;
    private static final int CHURN_BUFFERS = 20_000;

    /** Two groups of four completions, lengths 3..8, behaviour log-probs off-policy so ratios, clipping and KL all act. */
    static List<TrainingSequence> batch(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<TrainingSequence> out = new ArrayList<>();
        for (int g = 0; g < 2; g++) {
            int[] prompt = new int[2 + random.nextInt(4)];
            prompt[0] = 1;
            for (int k = 1; k < prompt.length; k++) {
                prompt[k] = 4 + random.nextInt(95);
            }
            for (int i = 0; i < 4; i++) {
                int[] completion = new int[3 + random.nextInt(6)];
                float[] behaviour = new float[completion.length];
                for (int k = 0; k < completion.length; k++) {
                    completion[k] = 4 + random.nextInt(95);
                    behaviour[k] = (float) (-4.6 + random.nextDouble(-0.5, 0.5));
                }
                out.add(new TrainingSequence(prompt, completion, behaviour, 1.5 - i));
            }
        }
        return out;
    }

    /**
     * Lets the GC free every unreachable direct buffer, then hands its memory out again filled
     * with 1e30: a scalar whose buffer was freed now reads 1e30 (or garbage). The buffers are
     * returned so that they stay allocated until the caller has run backward.
     */
    static List<ByteBuffer> churnDirectMemory() {
        System.gc();
        List<ByteBuffer> held = new ArrayList<>(CHURN_BUFFERS);
        for (int i = 0; i < CHURN_BUFFERS; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            b.putFloat(0, 1e30f);
            held.add(b);
        }
        return held;
    }

    /** The policy trainer's forward and backward, on the real model and loss; returns every parameter's gradient. */
    private static Map<String, float[]> gradients(PolicyModel policy, PolicyModel reference, List<TrainingSequence> batch,
                                                  LossNormaliser normaliser, boolean churn) {
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss(LOSS);
        PaddedBatch padded = PaddedBatch.of(batch, policy.config().maxSeqLen(), policy.config().vocabSize());
        int b = padded.batchSize;
        int t = padded.length;
        Map<String, float[]> out = new LinkedHashMap<>();
        try (NDManager step = policy.manager().newSubManager()) {
            NDArray tokens = step.create(padded.tokens, new Shape(b, t));              // (B, T)
            NDArray mask = step.create(padded.mask, new Shape(b, t - 1));              // (B, T-1)
            NDArray oldLogp = step.create(padded.oldLogProbs, new Shape(b, t - 1));    // (B, T-1)
            NDArray advantages = step.create(padded.advantages, new Shape(b));         // (B)
            NDArray refLogp = reference.tokenLogProbs(tokens, TEMPERATURE);            // (B, T-1)
            List<ByteBuffer> held = List.of();
            try (GradientCollector collector = step.getEngine().newGradientCollector()) {
                LossTerms terms = loss.compute(policy.tokenLogProbs(tokens, TEMPERATURE), oldLogp, refLogp,
                        advantages, mask, normaliser);
                if (churn) {
                    held = churnDirectMemory();
                }
                collector.backward(terms.loss());
            }
            assertThat(held).hasSizeBetween(0, CHURN_BUFFERS);
            for (Map.Entry<String, NDArray> e : policy.weights().asMap().entrySet()) {
                NDArray g = e.getValue().getGradient();
                g.attach(step);
                out.put(e.getKey(), g.toFloatArray());
                g.set(new NDIndex("..."), 0f);
            }
        }
        return out;
    }

    private static PolicyModel frozenReference() {
        try (PolicyModel other = TestModels.tinyModel(2)) {
            return other.copyFrozen();
        }
    }

    private static int wrongTrials(LossNormaliser normaliser) {
        List<TrainingSequence> batch = batch(7);
        try (PolicyModel policy = TestModels.tinyModel(1); PolicyModel reference = frozenReference()) {
            policy.attachGradients();
            Map<String, float[]> clean = gradients(policy, reference, batch, normaliser, false);
            assertThat(gradients(policy, reference, batch, normaliser, false))
                    .as("two undisturbed runs agree").usingRecursiveComparison().isEqualTo(clean);
            int wrong = 0;
            for (int trial = 0; trial < TRIALS; trial++) {
                Map<String, float[]> churned = gradients(policy, reference, batch, normaliser, true);
                for (String name : clean.keySet()) {
                    if (!Arrays.equals(clean.get(name), churned.get(name))) {
                        wrong++;
                        break;
                    }
                }
            }
            return wrong;
        }
    }

    @Test
    void gradientsSurviveGarbageCollectionBetweenForwardAndBackward() {
        int wrong = wrongTrials(LossNormaliser.tokenMean());
        System.out.printf("ScalarLifetimeTest: %d of %d trials with GC between forward and backward gave wrong gradients%n",
                wrong, TRIALS);
        assertThat(wrong).as("trials of %d whose gradients differ from an undisturbed run", TRIALS).isZero();
    }

    /** Dr. GRPO's constant normaliser divides by a scalar too: it must be as safe. */
    @Test
    void theConstantNormaliserIsSafeToo() {
        int wrong = wrongTrials(LossNormaliser.constant(8));
        assertThat(wrong).as("trials of %d whose gradients differ from an undisturbed run", TRIALS).isZero();
    }

    /**
     * {@link GradientStep} (what {@link PolicyTrainer#step} runs: forward/backward, global-norm
     * clipping, AdamW) on the real model and loss, with the GC and the churn between forward and
     * backward at every step: every step's loss and gradient norm and the final weights equal those
     * of undisturbed steps, and no step needed recomputing.
     */
    @Test
    void gradientStepsWithGarbageCollectionBeforeBackwardEqualUndisturbedSteps() {
        int steps = 10;
        List<GradientStep.Outcome<LossTerms>> clean = new ArrayList<>();
        String cleanHash = train(steps, false, clean);
        List<GradientStep.Outcome<LossTerms>> churned = new ArrayList<>();
        String churnedHash = train(steps, true, churned);
        int recomputed = 0;
        int differing = 0;
        for (int s = 0; s < steps; s++) {
            recomputed += churned.get(s).recomputed() ? 1 : 0;
            differing += churned.get(s).gradNorm() == clean.get(s).gradNorm() ? 0 : 1;
        }
        System.out.printf("ScalarLifetimeTest: GradientStep under GC churn: %d of %d steps recomputed, %d with a "
                + "different gradient norm, final weights %s%n", recomputed, steps, differing,
                churnedHash.equals(cleanHash) ? "equal" : "different");
        assertThat(recomputed).as("steps recomputed (of %d)", steps).isZero();
        assertThat(differing).as("steps whose gradient norm differs from an undisturbed run (of %d)", steps).isZero();
        assertThat(churnedHash).as("weights after %d steps", steps).isEqualTo(cleanHash);
    }

    private static String train(int steps, boolean churn, List<GradientStep.Outcome<LossTerms>> outcomes) {
        TrainerConfig config = TrainerConfig.defaults(1e-3);
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss(LOSS);
        try (PolicyModel policy = TestModels.tinyModel(3); PolicyModel reference = frozenReference()) {
            policy.attachGradients();
            Map<String, NDArray> parameters = policy.weights().asMap();
            try (AdamW optimizer = new AdamW(config.optimizer(), parameters, policy.manager())) {
                GradientStep gradientStep = new GradientStep(parameters, optimizer, config.optimizer().maxGradNorm());
                for (int s = 0; s < steps; s++) {
                    PaddedBatch padded = PaddedBatch.of(batch(100 + s), policy.config().maxSeqLen(),
                            policy.config().vocabSize());
                    int b = padded.batchSize;
                    int t = padded.length;
                    try (NDManager step = policy.manager().newSubManager()) {
                        NDArray tokens = step.create(padded.tokens, new Shape(b, t));
                        NDArray mask = step.create(padded.mask, new Shape(b, t - 1));
                        NDArray oldLogp = step.create(padded.oldLogProbs, new Shape(b, t - 1));
                        NDArray advantages = step.create(padded.advantages, new Shape(b));
                        NDArray refLogp = reference.tokenLogProbs(tokens, TEMPERATURE);
                        List<List<ByteBuffer>> held = new ArrayList<>();
                        GradientStep.Outcome<LossTerms> outcome = gradientStep.run(step,
                                m -> loss.compute(policy.tokenLogProbs(tokens, TEMPERATURE), oldLogp, refLogp, advantages, mask),
                                terms -> {
                                    if (churn) {
                                        held.add(churnDirectMemory());
                                    }
                                    return terms.loss();
                                });
                        outcomes.add(outcome);
                        held.clear();
                    }
                }
            }
            return policy.contentHash();
        }
    }
}
