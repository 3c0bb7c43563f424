package dev.gopo.ranker.replay;

import static dev.gopo.ranker.topology.Samples.completion;
import static dev.gopo.ranker.topology.Samples.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.advantage.AdvantageEstimator;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.replay.ReplayGroups.Assembled;
import dev.gopo.ranker.replay.ReplayGroups.Group;
import dev.gopo.ranker.replay.ReplayGroups.Recorded;
import dev.gopo.schemas.topic.Estimator;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReplayGroupsTest {
    private long offset;

    private Recorded<Completion> c(String group, int index, int g, Double reward, long step, long sampledAt) {
        return new Recorded<>(completion(group, index, g, reward).setPolicyStep(step).setSampledAtMs(sampledAt).build(), 0, offset++);
    }

    private Recorded<Reward> r(String group, int index, double value) {
        return new Recorded<>(reward(group, index, value).build(), 1, offset++);
    }

    private List<Recorded<Completion>> group(String id, int g, long step, long sampledAt) {
        List<Recorded<Completion>> out = new ArrayList<>();
        for (int i = 0; i < g; i++) {
            out.add(c(id, i, g, (double) i, step, sampledAt + i));
        }
        return out;
    }

    @Test
    void completeGroupsOnlyOrderedByNewestPolicyStepThenEarliestSampleThenId() {
        List<Recorded<Completion>> cs = new ArrayList<>();
        cs.addAll(group("b", 3, 5, 100));
        cs.addAll(group("a", 3, 5, 100));     // same step and time as b: id decides
        cs.addAll(group("c", 3, 2, 900));     // older weights: first although sampled later
        cs.addAll(group("d", 3, 5, 50));      // same step as a/b, sampled earlier
        cs.addAll(group("e", 3, 9, 0).subList(0, 2));   // incomplete
        Assembled a = ReplayGroups.assemble(cs, List.of());
        assertThat(a.complete()).extracting(Group::groupId).containsExactly("c", "d", "a", "b");
        assertThat(a.incomplete()).isEqualTo(1);
        assertThat(a.nonFinite()).isZero();
        // the order does not depend on the order records are handed in
        List<Recorded<Completion>> shuffled = new ArrayList<>(cs);
        Collections.shuffle(shuffled, new Random(3));
        assertThat(ReplayGroups.assemble(shuffled, List.of()).complete()).extracting(Group::groupId).containsExactly("c", "d", "a", "b");
    }

    @Test
    void duplicatesKeepTheFirstOffsetAndBadIndicesAreCounted() {
        List<Recorded<Completion>> cs = new ArrayList<>(group("g", 2, 1, 10));
        Recorded<Completion> dup = c("g", 1, 2, 99.0, 1, 10);
        cs.add(dup);
        cs.add(c("g", 2, 2, 1.0, 1, 10));     // index out of range
        cs.add(c("g", 0, 3, 1.0, 1, 10));     // other group size
        // the duplicate handed in first still loses: offsets decide
        cs.add(0, cs.remove(cs.indexOf(dup)));
        Assembled a = ReplayGroups.assemble(cs, List.of());
        assertThat(a.duplicates()).isEqualTo(1);
        assertThat(a.inconsistent()).isEqualTo(2);
        assertThat(a.complete()).hasSize(1);
        assertThat(a.complete().get(0).rewards()).containsExactly(0, 1);
    }

    @Test
    void externalRewardsScoreCompletionsWithoutAnInlineOneAndNonFiniteGroupsAreLeftOut() {
        List<Recorded<Completion>> cs = List.of(c("x", 0, 2, null, 0, 1), c("x", 1, 2, 4.0, 0, 1),
                c("y", 0, 2, null, 0, 1), c("y", 1, 2, null, 0, 1),
                c("z", 0, 2, Double.NaN, 0, 1), c("z", 1, 2, 1.0, 0, 1));
        List<Recorded<Reward>> rs = List.of(r("x", 0, 7.0), r("x", 0, 8.0), r("x", 1, -1.0), r("y", 0, 1.0));
        Assembled a = ReplayGroups.assemble(cs, rs);
        assertThat(a.complete()).extracting(Group::groupId).containsExactly("x");
        // inline wins when present (4.0), the first external reward otherwise (7.0, not 8.0)
        assertThat(a.complete().get(0).rewards()).containsExactly(7.0, 4.0);
        assertThat(a.incomplete()).as("y has no reward for index 1").isEqualTo(1);
        assertThat(a.nonFinite()).as("z").isEqualTo(1);
        assertThat(a.duplicates()).as("the second reward for x/0").isEqualTo(1);
    }

    @Test
    void rankingAppliesTheTransformAndCarriesTheRecordedFields() {
        Group g = ReplayGroups.assemble(List.of(c("p", 0, 3, -1.0, 4, 10), c("p", 1, 3, 2.0, 6, 30), c("p", 2, 3, 0.5, 5, 20)),
                List.of()).complete().get(0);
        AdvantageGroup gopo = ReplayGroups.rank(g, RewardTransform.parse("power:3"), Estimator.GOPO,
                AdvantageEstimator.of(Estimator.GOPO, 1e-4), 123);
        assertThat(gopo.getCompletions()).extracting(ScoredCompletion::getAdvantage).containsExactly(-2.0, 2.0, 0.0);
        assertThat(gopo.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(-1.0, 8.0, 0.125);
        assertThat(gopo.getCompletions()).extracting(ScoredCompletion::getPolicyStep).containsExactly(4L, 6L, 5L);
        assertThat(gopo.getEstimator()).isEqualTo("GOPO");
        assertThat(gopo.getLastCompletionAtMs()).isEqualTo(30);
        assertThat(gopo.getEmittedAtMs()).isEqualTo(123);
        assertThat(gopo.getPromptTokenIds()).containsExactly(1, 7, 9);
        AdvantageGroup identity = ReplayGroups.rank(g, RewardTransform.identity(), Estimator.GOPO, AdvantageEstimator.of(Estimator.GOPO, 1e-4), 1);
        assertThat(identity.getCompletions()).extracting(ScoredCompletion::getAdvantage)
                .isEqualTo(gopo.getCompletions().stream().map(ScoredCompletion::getAdvantage).toList());
        assertThatThrownBy(() -> ReplayGroups.rank(g, RewardTransform.parse("exp:1000"), Estimator.GOPO,
                AdvantageEstimator.of(Estimator.GOPO, 1e-4), 1)).isInstanceOf(ArithmeticException.class);
    }
}
