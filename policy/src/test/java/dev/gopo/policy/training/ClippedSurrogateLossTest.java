package dev.gopo.policy.training;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A 2 x 3 batch computed by hand. oldLogp = -1 everywhere, so logp = -1 + ln(ratio).
 *
 * <pre>
 * row 0, A = +1, mask 1 1 0
 *   t0 ratio 1.5 : min(1.5, clip 1.2) * 1 = 1.2   L = -1.2  CLIPPED     ref - logp = ln 2  KL = 2 - ln2 - 1   = 0.306853
 *   t1 ratio 1.1 : min(1.1, 1.1)          = 1.1   L = -1.1              ref - logp = 0     KL = 0
 *   t2 padding with wild values (old = -30, ref = -80): must not count or overflow
 * row 1, A = -2, mask 1 1 1
 *   t0 ratio 0.5 : min(-1.0, clip 0.8 * -2 = -1.6) = -1.6  L = 1.6  CLIPPED   ref - logp = -ln 2  KL = 0.5 + ln2 - 1 = 0.193147
 *   t1 ratio 1.5 : min(-3.0, 1.2 * -2 = -2.4)      = -3.0  L = 3.0  (unclipped is chosen)  KL = 0
 *   t2 ratio 1.0 : -2                                      L = 2.0             ref - logp = ln 2   KL = 0.306853
 *
 * 5 real tokens:
 *   policyLoss   = (-1.2 - 1.1 + 1.6 + 3.0 + 2.0) / 5 = 4.3 / 5 = 0.86
 *   kl           = (0.306853 + 0.193147 + 0.306853) / 5 = 0.806853 / 5 = 0.1613706
 *   loss (b=0.1) = 0.86 + 0.1 * 0.1613706 = 0.8761371
 *   ratioMean    = (1.5 + 1.1 + 0.5 + 1.5 + 1.0) / 5 = 1.12
 *   clipFraction = 2 / 5 = 0.4
 *
 * d loss / d logp = mask * (-A * ratio * [not clipped] + beta * (1 - exp(ref - logp))) / 5:
 *   row 0: t0 0 + 0.1 * (1 - 2) / 5 = -0.02;  t1 -1.1 / 5 = -0.22;  t2 0
 *   row 1: t0 0 + 0.1 * (1 - 0.5) / 5 = 0.01;  t1 3.0 / 5 = 0.6;  t2 2.0 / 5 + 0.1 * (1 - 2) / 5 = 0.38
 * </pre>
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClippedSurrogateLossTest {

    private static final float LN2 = (float) Math.log(2);

    private static float logp(double ratio) {
        return (float) (-1 + Math.log(ratio));
    }

    /** What the hand-computed example gives: the loss terms read out, and d loss / d logp. */
    private record Outcome(float lossValue, float policyLoss, float kl, float ratioMean, float clipFraction, int tokens,
                           float[] grad) {
    }

    /**
     * Runs the class Javadoc's example (A = (1, -2), beta 0.1, eps 0.2) through the real loss and
     * backward; {@code normaliser} null calls the five-argument {@code compute} (token mean).
     */
    private static Outcome handExample(LossNormaliser normaliser) {
        float[] logp = {logp(1.5), logp(1.1), -0.01f, logp(0.5), logp(1.5), logp(1.0)};
        float[] old = {-1, -1, -30, -1, -1, -1};
        float[] ref = {logp[0] + LN2, logp[1], -80, logp[3] - LN2, logp[4], logp[5] + LN2};
        float[] mask = {1, 1, 0, 1, 1, 1};
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss(new LossConfig(0.2, 0.2, 0.1));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Shape bt = new Shape(2, 3);
            NDArray logpArray = manager.create(logp, bt);
            logpArray.setRequiresGradient(true);
            LossTerms terms;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                NDArray oldArray = manager.create(old, bt);
                NDArray refArray = manager.create(ref, bt);
                NDArray advantages = manager.create(new float[] {1, -2});
                NDArray maskArray = manager.create(mask, bt);
                terms = normaliser == null
                        ? loss.compute(logpArray, oldArray, refArray, advantages, maskArray)
                        : loss.compute(logpArray, oldArray, refArray, advantages, maskArray, normaliser);
                collector.backward(terms.loss());
            }
            return new Outcome(terms.lossValue(), terms.policyLoss(), terms.kl(), terms.ratioMean(), terms.clipFraction(),
                    terms.tokens(), logpArray.getGradient().toFloatArray());
        }
    }

    @Test
    void handComputedExample() {
        Outcome terms = handExample(null);
        assertThat(terms.tokens()).isEqualTo(5);
        assertThat(terms.policyLoss()).isCloseTo(0.86f, within(1e-5f));
        assertThat(terms.kl()).isCloseTo(0.1613706f, within(1e-5f));
        assertThat(terms.lossValue()).isCloseTo(0.8761371f, within(1e-5f));
        assertThat(terms.ratioMean()).isCloseTo(1.12f, within(1e-5f));
        assertThat(terms.clipFraction()).isCloseTo(0.4f, within(1e-6f));
        float[] grad = terms.grad();
        float[] expected = {-0.02f, -0.22f, 0f, 0.01f, 0.6f, 0.38f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(grad[i]).as("gradient %d", i).isCloseTo(expected[i], within(1e-5f));
        }
    }

    /**
     * The same example with Dr. GRPO's constant normaliser, budget 4 tokens: D = 4 * 2 completions = 8
     * instead of the 5 real tokens, so the loss and every gradient are scaled by 5/8, and the
     * metrics (token means) are unchanged.
     * <pre>
     * sum mask * (L_clip + 0.1 KL) = 4.3 + 0.1 * 0.806853 = 4.3806853;  loss = 4.3806853 / 8 = 0.54758566
     * gradients = (sums above) / 8:  row 0: -0.1/8 = -0.0125, -1.1/8 = -0.1375, 0
     *                                row 1: 0.05/8 = 0.00625, 3.0/8 = 0.375, 1.9/8 = 0.2375
     * </pre>
     */
    @Test
    void handComputedExampleWithTheConstantNormaliser() {
        Outcome terms = handExample(LossNormaliser.constant(4));
        assertThat(terms.lossValue()).isCloseTo(0.54758566f, within(1e-6f));
        assertThat(terms.policyLoss()).isCloseTo(0.86f, within(1e-5f));
        assertThat(terms.kl()).isCloseTo(0.1613706f, within(1e-5f));
        assertThat(terms.tokens()).isEqualTo(5);
        float[] grad = terms.grad();
        float[] expected = {-0.0125f, -0.1375f, 0f, 0.00625f, 0.375f, 0.2375f};
        for (int i = 0; i < expected.length; i++) {
            assertThat(grad[i]).as("gradient %d", i).isCloseTo(expected[i], within(1e-6f));
        }
    }

    /**
     * The log-ratio is clamped to [-20, 20] before exp. One row, A = -1, beta = 0, eps 0.2:
     * <pre>
     * t0 logp -1, old -101: log-ratio 100 -> 20, ratio e^20 = 4.8516520e8 (exp(100) would be +inf, the loss NaN)
     *    min(-e^20, 1.2 * -1) = -e^20: L = e^20 (the pessimistic term), gradient 0 beyond the bound
     * t1 logp -1, old -1: ratio 1, L = 1, gradient -A * ratio / 3 = 1/3
     * t2 logp -3, old -1: ratio e^-2 = 0.1353353, min(-0.1353353, 0.8 * -1) = -0.8: L = 0.8 CLIPPED, gradient 0
     * loss = (e^20 + 1 + 0.8) / 3 = 161721732.4 (float32: 1.6172173e8);  ratioMean = (e^20 + 1 + e^-2) / 3
     * </pre>
     */
    @Test
    void theLogRatioIsClampedSoAnAbsurdBehaviourLogProbCannotMakeTheStepNonFinite() {
        float[] logp = {-1, -1, -3};
        float[] old = {-101, -1, -1};
        Shape bt = new Shape(1, 3);
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss(new LossConfig(0.2, 0.2, 0.0));
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray logpArray = manager.create(logp, bt);
            logpArray.setRequiresGradient(true);
            LossTerms terms;
            try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
                terms = loss.compute(logpArray, manager.create(old, bt), manager.create(logp, bt),
                        manager.create(new float[] {-1}), manager.ones(bt));
                collector.backward(terms.loss());
            }
            double e20 = Math.exp(20);
            assertThat((double) terms.lossValue()).isCloseTo((e20 + 1.8) / 3, within(1e-6 * e20));
            assertThat((double) terms.ratioMean()).isCloseTo((e20 + 1 + Math.exp(-2)) / 3, within(1e-6 * e20));
            assertThat(terms.clipFraction()).isCloseTo(1f / 3, within(1e-6f));
            assertThat(logpArray.getGradient().toFloatArray()).containsExactly(new float[] {0f, 1f / 3, 0f}, within(1e-6f));
        }
    }

    @Test
    void onPolicyWithoutKlIsMinusTheMeanAdvantagePerToken() {
        // ratio 1 and ref = logp, so loss = -(sum over real tokens of A) / tokens.
        // Row 0 has 2 real tokens with A = 3, row 1 has 1 real token with A = -1: -(3 + 3 - 1) / 3 = -5/3.
        float[] lp = {-2, -3, -4, -5};
        float[] mask = {1, 1, 1, 0};
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            Shape shape = new Shape(2, 2);
            NDArray logp = manager.create(lp, shape);
            LossTerms terms = new ClippedSurrogateLoss(LossConfig.paperDefaults()).compute(logp, logp, logp,
                    manager.create(new float[] {3, -1}), manager.create(mask, shape));
            assertThat(terms.lossValue()).isCloseTo(-5f / 3, within(1e-6f));
            assertThat(terms.kl()).isZero();
            assertThat(terms.ratioMean()).isEqualTo(1f);
            assertThat(terms.clipFraction()).isZero();
        }
    }

    @Test
    void rejectsMismatchedShapesAndEmptyMasks() {
        ClippedSurrogateLoss loss = new ClippedSurrogateLoss(LossConfig.paperDefaults());
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray a = manager.zeros(new Shape(2, 3));
            assertThatThrownBy(() -> loss.compute(a, manager.zeros(new Shape(2, 4)), a, manager.zeros(new Shape(2)), a))
                    .hasMessageContaining("oldLogp has shape (2, 4)");
            assertThatThrownBy(() -> loss.compute(a, a, a, manager.zeros(new Shape(3)), a))
                    .hasMessageContaining("advantages must be (B)");
            assertThatThrownBy(() -> loss.compute(a, a, a, manager.zeros(new Shape(2)), a))
                    .hasMessageContaining("mask selects no token");
        }
    }

    @Test
    void configValidationSaysHowToFix() {
        assertThatThrownBy(() -> new LossConfig(1.0, 0.2, 0.04)).hasMessageContaining("epsLow must be in [0, 1)");
        assertThatThrownBy(() -> new LossConfig(0.2, -0.1, 0.04)).hasMessageContaining("epsHigh");
        assertThatThrownBy(() -> new LossConfig(0.2, 0.2, Double.NaN)).hasMessageContaining("beta");
    }
}
