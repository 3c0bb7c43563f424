package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D1 of issue 10: a group with a token id outside the vocabulary (or longer than the context) is dead-lettered as
 * {@code MODEL_MISMATCH} and the learner trains on past it. Before, the trainer's batch builder refused the whole step
 * and the learner exited, again after every restart.
 */
class LearnerPoisonPillIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(180)
    void deadLettersGroupsThatDoNotFitTheModelAndTrainsOnPastThem() throws Exception {
        LearnerHarness h = new LearnerHarness("learner-poison", 1);
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        List<AdvantageGroup> groups = new ArrayList<>();
        groups.add(Fixtures.group("good-0", 4, 0, 1));
        groups.add(withToken(Fixtures.group("poison", 4, 0, 2), 99_999));       // the probe's record
        groups.add(Fixtures.group("good-1", 4, 0, 3));
        groups.add(withLength(Fixtures.group("too-long", 4, 0, 4), 10_000));    // longer than any context
        groups.add(Fixtures.group("good-2", 4, 0, 5));
        groups.add(Fixtures.group("good-3", 4, 0, 6));
        h.produce(groups);

        LearnerConfig config = new LearnerConfig("learner-poison", Estimator.GOPO, 2, 100, LearnerConfig.NO_VERSION_BOUND, 100, false,
                tmp.resolve("work"), init, TrainerConfig.defaults(1e-3), 2, Duration.ofSeconds(10), 0, false);
        try (Learner learner = new Learner(config, h.cluster)) {
            learner.run(new AtomicBoolean());
            assertThat(learner.steps()).as("two steps of the four good groups").isEqualTo(2);
        }
        List<String> trained = new ArrayList<>();
        new CheckpointStore(tmp.resolve("work/checkpoints"), 2).all().forEach(c -> trained.addAll(c.trainedGroups()));
        assertThat(trained).containsExactlyInAnyOrder("good-0", "good-1", "good-2", "good-3");

        List<DeadLetter> dead = h.readAll(h.cluster.topicNames().deadLetters(),
                h.cluster.topics().deadLetters().valueSerde().deserializer(), 2, Duration.ofSeconds(20));
        assertThat(dead).extracting(d -> d.getKey() + ":" + d.getReason())
                .containsExactlyInAnyOrder("poison:MODEL_MISMATCH", "too-long:MODEL_MISMATCH");
        DeadLetter poison = dead.stream().filter(d -> d.getKey().equals("poison")).findFirst().orElseThrow();
        assertThat(poison.getDetail()).contains("token 99999 at position 0 is outside the vocabulary [0, ");
        assertThat(poison.getPayload()).as("original bytes, for replay").isNotNull();
    }

    private static AdvantageGroup withToken(AdvantageGroup group, int token) {
        List<ScoredCompletion> completions = new ArrayList<>(group.getCompletions());
        ScoredCompletion first = completions.get(0);
        List<Integer> ids = new ArrayList<>(first.getTokenIds());
        ids.set(0, token);
        completions.set(0, ScoredCompletion.newBuilder(first).setTokenIds(ids).build());
        return AdvantageGroup.newBuilder(group).setCompletions(completions).build();
    }

    private static AdvantageGroup withLength(AdvantageGroup group, int length) {
        List<ScoredCompletion> completions = new ArrayList<>(group.getCompletions());
        ScoredCompletion first = completions.get(0);
        List<Integer> ids = new ArrayList<>();
        List<Float> logProbs = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            ids.add(40);
            logProbs.add(-4f);
        }
        completions.set(0, ScoredCompletion.newBuilder(first).setTokenIds(ids).setBehaviourLogProbs(logProbs).build());
        return AdvantageGroup.newBuilder(group).setCompletions(completions).build();
    }
}
