package dev.gopo.launcher.bench;

import static dev.gopo.launcher.VerdictTest.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.TrainingMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class AsyncFiguresTest {

    private static TrainingMetrics step(long step, long timestampMs, Map<String, Double> metrics) {
        return TrainingMetrics.newBuilder().setLearnerId("learner-0").setStep(step).setPolicyVersion(step).setMetrics(metrics)
                .setTimestampMs(timestampMs).build();
    }

    @Test
    void idleSharesAreTheUncomputedAndThePausedPartsOfTheWallTime() {
        assertThat(AsyncFigures.learnerIdleShare(300, 1000)).isCloseTo(0.7, within(1e-12));
        assertThat(AsyncFigures.learnerIdleShare(1200, 1000)).as("clamped").isZero();
        assertThat(AsyncFigures.learnerIdleShare(5, 0)).isZero();
        // two generators, 10 s of wall: 4 s and 6 s paused = half of their time
        assertThat(AsyncFigures.generatorIdleShare(10_000_000_000L, 2, 10_000_000_000L)).isCloseTo(0.5, within(1e-12));
        assertThat(AsyncFigures.generatorIdleShare(5, 1, 0)).isZero();
        assertThat(AsyncFigures.sumStepMillis(List.of(step(1, 0, Map.of("time/step_ms", 100.0)), step(2, 0, Map.of("time/step_ms", 50.0)),
                step(3, 0, Map.of())))).isEqualTo(150.0);
    }

    @Test
    void ratioIsAsyncOverLockstepAndUndefinedWithoutALockstepValue() {
        assertThat(AsyncFigures.ratio(60, 120)).isEqualTo(0.5);
        assertThat(AsyncFigures.ratio(60, 0)).isNaN();
        assertThat(AsyncFigures.ratio(Double.NaN, 1)).isNaN();
    }

    @Test
    void histogramsOfTheStepsAreSummedPerStaleness() {
        SortedMap<Long, Long> hist = AsyncFigures.mergeHistograms(List.of(
                Map.of("lag/hist/0", 10.0, "lag/hist/2", 6.0, "loss/kl", 0.1),
                Map.of("lag/hist/2", 4.0, "lag/hist/11", 16.0),
                Map.of()));
        assertThat(hist).containsExactly(Map.entry(0L, 10L), Map.entry(2L, 10L), Map.entry(11L, 16L));
        assertThat(AsyncFigures.histogramText(hist)).isEqualTo("0:10 2:10 11:16");
        assertThat(AsyncFigures.meanStaleness(hist)).isCloseTo((0 * 10 + 2 * 10 + 11 * 16) / 36.0, within(1e-12));
        assertThat(AsyncFigures.histogramText(new java.util.TreeMap<>())).isEqualTo("-");
    }

    @Test
    void timeToTargetIsWhenTheLearnerReportedTheFirstStepWhoseMeanRewardReachesIt() {
        // result(...) puts version v at step 20 v; mean over the two tasks: step 0 -> -2, step 20 -> -1, step 40 -> 0.5
        var curve = AsyncFigures.meanRewardCurve(List.of(
                result("a", 0, -3, 0.5, 0.5, 0.5, 0.5), result("b", 0, -1, 0.5, 0.5, 0.5, 0.5),
                result("a", 1, -2, 0.5, 0.5, 0.5, 0.5), result("b", 1, 0, 0.5, 0.5, 0.5, 0.5),
                result("a", 2, 0, 0.5, 0.5, 0.5, 0.5), result("b", 2, 1, 0.5, 0.5, 0.5, 0.5),
                result("a", 3, 9, 0.5, 0.5, 0.5, 0.5)));
        assertThat(curve).as("step 60 has only one task").containsOnlyKeys(0L, 20L, 40L);
        assertThat(curve.get(20L)).isEqualTo(-1.0);
        assertThat(AsyncFigures.firstStepReaching(curve, -1.5)).hasValue(20);
        assertThat(AsyncFigures.firstStepReaching(curve, 2)).isEmpty();
        List<TrainingMetrics> steps = List.of(step(19, 11_000, Map.of()), step(20, 12_500, Map.of()));
        assertThat(AsyncFigures.secondsToStep(steps, 20, 10_000)).hasValue(2.5);
        assertThat(AsyncFigures.secondsToStep(steps, 0, 10_000)).hasValue(0);
        assertThat(AsyncFigures.secondsToStep(steps, 40, 10_000)).isEmpty();
    }

    @Test
    void twoMachineModelOverlapsGenerationAndTraining() {
        assertThat(AsyncFigures.modelledSpeedUp(100, 100, 0)).isEqualTo(2.0);
        assertThat(AsyncFigures.modelledSpeedUp(300, 100, 0)).isCloseTo(4.0 / 3, within(1e-12));
        assertThat(AsyncFigures.modelledSpeedUp(100, 100, 50)).isCloseTo(250.0 / 150, within(1e-12));
    }

    private static AsyncBenchSettings parse(String... args) {
        BenchAsyncCommand command = new BenchAsyncCommand();
        new CommandLine(command).parseArgs(args);
        return command.settings();
    }

    @Test
    void defaultsRunLockstepThenAsyncAndTheSweepAddsTheBounds() {
        AsyncBenchSettings s = parse();
        assertThat(s.modes()).extracting(AsyncBenchmark.Mode::label).containsExactly("lockstep", "async");
        assertThat(s.training(s.modes().get(0)).stepBudget(0).windowSteps()).as("lockstep: one step of groups").isEqualTo(1);
        assertThat(s.training(s.modes().get(0)).announceEveryStep()).isTrue();
        assertThat(s.training(s.modes().get(0)).maxStalenessSteps()).as("lockstep: bound 0").isZero();
        assertThat(s.modes()).extracting(AsyncBenchmark.Mode::versions).containsExactly("every step", "every 10");
        assertThat(s.training(s.modes().get(1)).maxStalenessSteps()).isEqualTo(25);
        assertThat(s.training(s.modes().get(0)).evalEvery() * 1).isEqualTo(20);
        assertThat(s.training(s.modes().get(1)).evalEvery()).as("every 20 steps = every 2 versions").isEqualTo(2);
        assertThat(parse("--sweep").modes()).extracting(AsyncBenchmark.Mode::label)
                .containsExactly("lockstep", "async", "bound-1", "bound-2", "bound-4");
        assertThat(s.targetReward()).isEqualTo(OptionalDouble.empty());
        assertThat(s.workDir()).isEqualTo(Path.of("gopo-work/bench-async"));
    }

    @Test
    void badValuesAreClearErrors() {
        assertThatThrownBy(() -> parse("--eval-every-steps", "15")).hasMessageContaining("--eval-every-steps 15 must be a multiple");
        assertThatThrownBy(() -> parse("--max-staleness-steps", "3")).hasMessageContaining("--max-staleness-steps 3 is below --checkpoint-every 10 - 1 = 9");
        assertThatThrownBy(() -> parse("--sweep-bounds", "1,-2")).hasMessageContaining("--sweep-bounds");
        assertThatThrownBy(() -> parse("--steps", "0")).hasMessageContaining("--steps");
        assertThatThrownBy(() -> parse("--group-size", "1")).hasMessageContaining("--group-size");
    }
}
