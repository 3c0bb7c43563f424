package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.TrainingMetrics;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The learner on a real broker bounds staleness in optimiser steps, dead-letters groups that claim a
 * policy from the future or were sampled at another temperature, and reports the lag in steps.
 */
class LearnerAdmissionIT {
    private static final int MAX_STALENESS_STEPS = 3;

    @TempDir
    Path tmp;

    private LearnerConfig config(Path init, long maxSteps) {
        // checkpoint-every 100: the only announcements are the start-up one and the final checkpoint's
        return new LearnerConfig("learner-admission", Estimator.GOPO, 2, MAX_STALENESS_STEPS, LearnerConfig.NO_VERSION_BOUND, 100, false,
                tmp.resolve("work"), init, TrainerConfig.defaults(1e-3), maxSteps, Duration.ofSeconds(4), 0, false);
    }

    @Test
    @Timeout(180)
    void boundsStalenessInStepsAndRejectsFutureAndOtherTemperatureGroups() throws Exception {
        LearnerHarness h = new LearnerHarness("learner-admission", 1);
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));

        // Phase 1: 8 on-policy groups (version 0, step 0) -> steps 1..4; the clean stop checkpoints and announces version 1.
        h.produceGroups(8, 4, 0);
        try (Learner learner = new Learner(config(init, 4), h.cluster)) {
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).isEqualTo(4);
            assertThat(learner.policyVersion()).isEqualTo(1);
            assertThat(learner.staleDropped()).isZero();
        }

        // Phase 2, one partition read in order at step 4 / version 1: the four refusals come first, so the step
        // cannot move before they are judged.
        List<AdvantageGroup> groups = new ArrayList<>();
        groups.add(Fixtures.group("stale", 4, 0, 0, 1.0, 11, -4.5f));               // lag 4 > 3: dropped, counted
        groups.add(Fixtures.group("future-version", 4, 1_000_000, 4, 1.0, 14, -4.5f));
        groups.add(Fixtures.group("future-step", 4, 1, 1_000_000, 1.0, 15, -4.5f));
        groups.add(Fixtures.group("hot", 4, 1, 4, 0.7, 16, -4.5f));                 // sampled at 0.7, learner at 1.0
        groups.add(Fixtures.group("edge", 4, 0, 1, 1.0, 12, -4.5f));                // lag 3 = bound: trained
        groups.add(Fixtures.group("fresh", 4, 1, 4, 1.0, 13, -4.5f));               // lag 0: trained
        h.produce(groups);
        try (Learner learner = new Learner(config(init, 0), h.cluster)) {
            assertThat(learner.steps()).isEqualTo(4);
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).as("edge + fresh make one step").isEqualTo(5);
            assertThat(learner.staleDropped()).isEqualTo(1);
            assertThat(learner.futureRejected()).isEqualTo(2);
            assertThat(learner.temperatureRejected()).isEqualTo(1);
        }

        CheckpointStore store = new CheckpointStore(tmp.resolve("work/checkpoints"), 2);
        List<String> trained = new ArrayList<>();
        store.all().forEach(c -> trained.addAll(c.trainedGroups()));
        assertThat(trained).contains("edge", "fresh").doesNotContain("stale", "future-version", "future-step", "hot");

        List<DeadLetter> dead = h.readAll(h.cluster.topicNames().deadLetters(),
                h.cluster.topics().deadLetters().valueSerde().deserializer(), 4, Duration.ofSeconds(20));
        Map<String, DeadLetter> byKey = dead.stream().collect(Collectors.toMap(DeadLetter::getKey, d -> d));
        assertThat(byKey).containsOnlyKeys("stale", "future-version", "future-step", "hot");
        assertThat(byKey.get("stale").getReason()).isEqualTo("STALE_POLICY");
        assertThat(byKey.get("stale").getDetail()).contains("4 optimiser steps old", "--max-staleness-steps 3");
        assertThat(byKey.get("future-version").getReason()).isEqualTo("FUTURE_POLICY");
        assertThat(byKey.get("future-version").getDetail()).contains("policy version 1000000", "this learner is at version 1, step 4");
        assertThat(byKey.get("future-step").getReason()).isEqualTo("FUTURE_POLICY");
        assertThat(byKey.get("future-step").getDetail()).contains("optimiser step 1000000");
        assertThat(byKey.get("hot").getReason()).isEqualTo("TEMPERATURE_MISMATCH");
        assertThat(byKey.get("hot").getDetail()).contains("sampled at temperature 0.7", "at temperature 1.0");
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.getWorker()).isEqualTo("learner");
            assertThat(d.getPayload()).as("original bytes, for replay").isNotNull();
        });

        List<TrainingMetrics> metrics = h.readAll(h.cluster.topicNames().metrics(),
                h.cluster.topics().metrics().valueSerde().deserializer(), 5, Duration.ofSeconds(20));
        assertThat(metrics).hasSize(5);
        TrainingMetrics step5 = metrics.stream().filter(m -> m.getStep() == 5).findFirst().orElseThrow();
        // groups of lag 3 (edge) and 0 (fresh), trained with the weights of step 4
        assertThat(step5.getMetrics()).containsEntry("lag/optimizer_steps", 1.5).containsEntry("lag/optimizer_steps_max", 3.0)
                .containsEntry("lag/policy_versions", 0.5).containsEntry("lag/policy_versions_max", 1.0)
                .containsEntry("stale/dropped_groups", 1.0).containsEntry("rejected/future_policy", 2.0)
                .containsEntry("rejected/temperature_mismatch", 1.0);
        // phase 1 was on-policy in steps too: step k trained samples of step 0 with the weights of step k - 1
        metrics.stream().filter(m -> m.getStep() <= 4).forEach(m ->
                assertThat(m.getMetrics().get("lag/optimizer_steps_max")).isEqualTo(m.getStep() - 1.0));
    }
}
