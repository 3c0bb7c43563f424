package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.EvaluationResult;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
public class VerdictTest {

    /** A hand-made result; version {@code v} comes from step {@code 20 * v}, evaluated at time {@code v}. */
    public static EvaluationResult result(String task, long version, double reward, Double gold, double win, double lo, double hi) {
        return EvaluationResult.newBuilder().setTask(task).setPolicyVersion(version).setStep(20 * version).setNumPrompts(32)
                .setSamplesPerPrompt(1).setValidationReward(reward).setGoldQuality(gold).setReferenceGoldQuality(gold == null ? null : 0.42)
                .setWinRate(win).setWinRateCiLow(lo).setWinRateCiHigh(hi).setEvaluatedAtMs(version).build();
    }

    @Test
    void theLastVersionsIntervalAboveOneHalfIsAnImprovement() {
        Verdict v = Verdict.of(List.of(
                result("summarise", 6, -3.1, 0.61, 0.68, 0.61, 0.75),
                result("summarise", 0, -4.87, 0.42, 0.5, 0.5, 0.5),
                result("summarise", 3, -4.0, 0.50, 0.58, 0.49, 0.66)));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.IMPROVED);
        assertThat(v.first().getPolicyVersion()).isZero();
        assertThat(v.last().getPolicyVersion()).isEqualTo(6);
        assertThat(v.line()).isEqualTo(
                "summarise: improved: judge 0.680 [0.610, 0.750] at step 120 (validation reward -4.87 -> -3.10, hidden gold 0.42 -> 0.61)");
    }

    @Test
    void anEarlierSignificantVersionDoesNotDecideButIsShownAsTheBest() {
        Verdict v = Verdict.of(List.of(
                result("constrained", 0, 2.97, 0.42, 0.5, 0.5, 0.5),
                result("constrained", 2, 3.3, 0.47, 0.62, 0.53, 0.70),
                result("constrained", 4, 3.63, 0.44, 0.52, 0.44, 0.60)));
        assertThat(v.kind()).isEqualTo(Verdict.Kind.NO_CHANGE);
        assertThat(v.best().getPolicyVersion()).isEqualTo(2);
        assertThat(v.line()).isEqualTo("constrained: no judge-confirmed change: judge 0.520 [0.440, 0.600] at step 80, "
                + "best 0.620 [0.530, 0.700] at step 40 (validation reward 2.97 -> 3.63, hidden gold 0.42 -> 0.44)");
    }

    @Test
    void anIntervalBelowOneHalfIsWorseAndAnIntervalTouchingItIsNoChange() {
        assertThat(Verdict.of(List.of(result("summarise", 0, -4.87, 0.42, 0.5, 0.5, 0.5),
                result("summarise", 1, -5.5, 0.30, 0.38, 0.30, 0.46))).line())
                .isEqualTo("summarise: worse: judge 0.380 [0.300, 0.460] at step 20 (validation reward -4.87 -> -5.50, hidden gold 0.42 -> 0.30)");
        // Version 0 alone: the reference against itself, exactly [0.5, 0.5]; no "best" clause when best is last.
        assertThat(Verdict.of(List.of(result("summarise", 0, -4.87, 0.42, 0.5, 0.5, 0.5))).line())
                .isEqualTo("summarise: no judge-confirmed change: judge 0.500 [0.500, 0.500] at step 0 "
                        + "(validation reward -4.87 -> -4.87, hidden gold 0.42 -> 0.42)");
    }

    @Test
    void resultsWithoutGoldQualityLeaveItOut() {
        assertThat(Verdict.of(List.of(result("summarise", 0, -4.87, null, 0.5, 0.5, 0.5),
                result("summarise", 1, -4.0, null, 0.6, 0.52, 0.69))).line())
                .isEqualTo("summarise: improved: judge 0.600 [0.520, 0.690] at step 20 (validation reward -4.87 -> -4.00)");
    }

    @Test
    void curvesGroupByTaskOrderByVersionAndKeepTheLatestOfADuplicate() {
        EvaluationResult stale = result("summarise", 1, -9.0, 0.1, 0.1, 0.0, 0.2);
        EvaluationResult fresh = EvaluationResult.newBuilder(stale).setValidationReward(-4.0).setEvaluatedAtMs(50).build();
        var curves = Verdict.curves(List.of(fresh, result("summarise", 0, -4.87, 0.42, 0.5, 0.5, 0.5), stale,
                result("constrained", 0, 2.97, 0.4, 0.5, 0.5, 0.5)));
        assertThat(curves.keySet()).containsExactly("constrained", "summarise");
        assertThat(curves.get("summarise")).extracting(EvaluationResult::getPolicyVersion).containsExactly(0L, 1L);
        assertThat(curves.get("summarise").get(1).getValidationReward()).isEqualTo(-4.0);
        assertThat(Verdict.byTask(List.of(fresh, stale))).hasSize(1);
    }

    @Test
    void aVerdictNeedsResultsOfOneTask() {
        assertThatThrownBy(() -> Verdict.of(List.of())).hasMessageContaining("at least one evaluated version");
        assertThatThrownBy(() -> Verdict.of(List.of(result("summarise", 0, 0, 0.4, 0.5, 0.5, 0.5),
                result("constrained", 1, 0, 0.4, 0.5, 0.5, 0.5)))).hasMessageContaining("Verdict.curves");
    }
}
