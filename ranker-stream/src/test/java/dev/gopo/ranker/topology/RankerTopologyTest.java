package dev.gopo.ranker.topology;

import static dev.gopo.ranker.topology.Samples.completion;
import static dev.gopo.ranker.topology.Samples.reward;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.RewardPreference;
import dev.gopo.ranker.RewardSource;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.ranker.state.GroupStore;
import dev.gopo.ranker.state.LegacyLayout;
import dev.gopo.schemas.topic.Estimator;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology end to end in a TopologyTestDriver, with the real Avro serdes and an in-memory registry (no broker, no registry JVM). */
class RankerTopologyTest {
    private static final double TOL = 1e-9;

    @TempDir
    Path stateDir;

    @Test
    void aCompleteGroupIsEmittedOnceWithEverythingTheLearnerNeeds() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            double[] rewards = {0.2, 0.9, 0.5, 0.1};
            int[] arrival = {2, 0, 3, 1};
            for (int k = 0; k < 3; k++) {
                int i = arrival[k];
                h.completion(completion("g1", i, 4, rewards[i]).build(), 10L * (i + 1));
                assertThat(h.advantages()).as("after %d of 4 completions", k + 1).isEmpty();
            }
            h.completion(completion("g1", 1, 4, rewards[1]).build(), 20);
            List<AdvantageGroup> out = h.advantages();
            assertThat(out).hasSize(1);
            AdvantageGroup g = out.get(0);
            assertThat(g.getGroupId()).isEqualTo("g1");
            assertThat(g.getPromptId()).isEqualTo("prompt-g1");
            assertThat(g.getTask()).isEqualTo("summarise");
            assertThat(g.getEstimator()).isEqualTo("GOPO");
            assertThat(g.getGroupSize()).isEqualTo(4);
            assertThat(g.getPartial()).isFalse();
            assertThat(g.getPromptTokenIds()).containsExactly(1, 7, 9);
            // record timestamps were T0 + 10 * (i + 1): the latest is index 3 at T0 + 40 ms
            assertThat(g.getLastCompletionAtMs()).isEqualTo(RankerHarness.T0.toEpochMilli() + 40);
            assertThat(g.getEmittedAtMs()).isEqualTo(RankerHarness.T0.toEpochMilli());
            List<ScoredCompletion> cs = g.getCompletions();
            assertThat(cs).extracting(ScoredCompletion::getIndex).containsExactly(0, 1, 2, 3);
            assertThat(cs.get(2).getTokenIds()).containsExactly(102, 202);
            assertThat(cs.get(2).getBehaviourLogProbs()).containsExactly(-2.5f, -0.25f);
            assertThat(cs).extracting(ScoredCompletion::getPolicyVersion).containsExactly(3L, 4L, 5L, 6L);
            assertThat(cs).extracting(ScoredCompletion::getPolicyStep).containsExactly(30L, 31L, 32L, 33L);
            assertThat(cs).extracting(ScoredCompletion::getTemperature).containsOnly(0.7);
            assertThat(cs).extracting(ScoredCompletion::getGeneratorId).containsExactly("gen-0", "gen-1", "gen-0", "gen-1");
            assertThat(cs).extracting(ScoredCompletion::getReward).containsExactly(0.2, 0.9, 0.5, 0.1);
            // rewards 0.2 0.9 0.5 0.1 -> ranks 3 1 2 4 -> A = 2 - 4 (rank - 1) / 3 = -2/3, 2, 2/3, -2
            assertThat(cs).extracting(ScoredCompletion::getRank).containsExactly(3.0, 1.0, 2.0, 4.0);
            assertAdvantages(g, -2.0 / 3, 2, 2.0 / 3, -2);
            assertThat(h.deadLetters()).isEmpty();
            assertThat(h.metrics().emitted()).isEqualTo(1);
            assertThat(h.metrics().completionsIn()).isEqualTo(4);

            // members deleted at once; only the emitted marker and its index entry remain, until the retention (10 min) is over
            assertThat(h.storeSizes()).containsExactly(1, 1);
            h.advance(Duration.ofMinutes(11));
            assertThat(h.storeSizes()).containsExactly(0, 0);
        }
    }

    @Test
    void anOpenGroupInThePreviousReleasesLayoutIsMovedIntoOneEntryAndCompletes() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g1", 0, 3, 0.5).build(), 10);
            h.reward(reward("g1", 1, 0.9).build(), 11);
            h.completion(completion("g1", 1, 3, null).build(), 12);
            KeyValueStore<Bytes, byte[]> groups = h.driver.getKeyValueStore(GroupStore.GROUPS);
            // format 2 (previous release): header, prompt, two completions and one reward under keys of their own
            assertThat(LegacyLayout.split(groups, "g1")).isEqualTo(4);
            assertThat(h.storeSizes()).containsExactly(5, 1);

            h.completion(completion("g1", 2, 3, 0.1).build(), 13);
            List<AdvantageGroup> out = h.advantages();
            assertThat(out).hasSize(1);
            assertThat(out.get(0).getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(0.5, 0.9, 0.1);
            assertThat(out.get(0).getCompletions().get(1).getTokenIds()).containsExactly(101, 201);
            assertThat(out.get(0).getPromptTokenIds()).containsExactly(1, 7, 9);
            assertThat(h.storeSizes()).as("the member keys are gone with the move").containsExactly(1, 1);
        }
    }

    @Test
    void runsOnTheRealSerdesWithoutARegistryJvm() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g0", 0, 2, 0.1).build(), 1);
            h.completion(completion("g0", 1, 2, 0.2).build(), 2);
            assertThat(h.advantages()).hasSize(1);
            assertThat(h.registry.getLatest(h.config.topicNames().completions() + "-value").getFullName())
                    .as("the serdes registered their schemas in the in-memory registry").isEqualTo(Completion.getClassSchema().getFullName());
        }
        assertThat(ProcessHandle.current().descendants().map(p -> p.info().commandLine().orElse("?")))
                .as("a TopologyTestDriver test starts no registry (or broker) JVM").isEmpty();
    }

    @Test
    void externalRewardsMayArriveBeforeOrAfterTheirCompletionsAndInlineOnesAreIgnored() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b.rewardSource(RewardSource.EXTERNAL))) {
            h.reward(reward("g2", 0, 0.1).build(), 1);
            h.reward(reward("g2", 1, 0.3).build(), 2);
            h.completion(completion("g2", 0, 3, 9.0).build(), 3);
            h.completion(completion("g2", 1, 3, 8.0).build(), 4);
            h.completion(completion("g2", 2, 3, 7.0).build(), 5);
            assertThat(h.advantages()).as("completion 2 has no external reward yet").isEmpty();
            h.reward(reward("g2", 2, 0.2).build(), 6);
            AdvantageGroup g = single(h.advantages());
            // external rewards 0.1 0.3 0.2 -> ranks 3 1 2 -> A = 2 - 4 (rank - 1) / 2 = -2, 2, 0
            assertThat(g.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(0.1, 0.3, 0.2);
            assertAdvantages(g, -2, 2, 0);
            assertThat(g.getLastCompletionAtMs()).isEqualTo(RankerHarness.T0.toEpochMilli() + 6);
            assertThat(h.metrics().rewardsIn()).isEqualTo(3);
        }
    }

    @Test
    void inlineSourceDoesNotReadTheRewardsTopicAndNeedsAnInlineReward() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b.rewardSource(RewardSource.INLINE))) {
            assertThat(RankerTopology.build(h.config, h.registry).describe().toString()).doesNotContain(h.config.topicNames().rewards());
            h.completion(completion("g3", 0, 2, null).build(), 1);
            DeadLetter dl = single(h.deadLetters());
            assertThat(dl.getReason()).isEqualTo("INCONSISTENT_RECORD");
            assertThat(dl.getDetail()).contains("no inline reward", "--reward-source INLINE");
            h.completion(completion("g4", 0, 2, 1.0).build(), 1);
            h.completion(completion("g4", 1, 2, 2.0).build(), 2);
            assertAdvantages(single(h.advantages()), -2, 2);
        }
    }

    @Test
    void anySourceTakesWhicheverRewardIsThereAndThePreferenceDecidesWhenBothAre() {
        for (RewardPreference preference : RewardPreference.values()) {
            try (RankerHarness h = RankerHarness.start(stateDir.resolve(preference.name()), b -> b.rewardPreference(preference))) {
                h.completion(completion("g5", 0, 3, 0.5).build(), 1);       // inline only
                h.completion(completion("g5", 1, 3, null).build(), 2);      // external only, below
                h.reward(reward("g5", 2, 0.9).build(), 3);                  // external for 2 arrives before completion 2
                h.reward(reward("g5", 1, 0.7).build(), 4);
                assertThat(h.advantages()).isEmpty();
                h.completion(completion("g5", 2, 3, 0.1).build(), 5);       // both for 2: inline 0.1, external 0.9
                AdvantageGroup g = single(h.advantages());
                if (preference == RewardPreference.EXTERNAL) {
                    // 0.5 0.7 0.9 -> ranks 3 2 1 -> A = -2, 0, 2
                    assertThat(g.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(0.5, 0.7, 0.9);
                    assertAdvantages(g, -2, 0, 2);
                } else {
                    // 0.5 0.7 0.1 -> ranks 2 1 3 -> A = 0, 2, -2
                    assertThat(g.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(0.5, 0.7, 0.1);
                    assertAdvantages(g, 0, 2, -2);
                }
                // an external reward arriving after emission is late, not a second emission
                h.reward(reward("g5", 0, 5.0).build(), 6);
                assertThat(h.advantages()).isEmpty();
                assertThat(h.metrics().late()).isEqualTo(1);
            }
        }
    }

    @Test
    void duplicatesAreIdempotentBeforeAndAfterEmission() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g6", 0, 2, null).build(), 1);
            h.completion(completion("g6", 0, 2, null).build(), 2);          // re-delivered completion
            h.reward(reward("g6", 0, 1.0).build(), 3);
            h.reward(reward("g6", 0, 5.0).build(), 4);                      // second reward for index 0: the first one stays
            h.completion(completion("g6", 1, 2, 0.0).build(), 5);
            AdvantageGroup g = single(h.advantages());
            assertThat(g.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(1.0, 0.0);
            assertAdvantages(g, 2, -2);
            h.completion(completion("g6", 1, 2, 0.0).build(), 6);           // late duplicates
            h.reward(reward("g6", 0, 1.0).build(), 7);
            assertThat(h.advantages()).isEmpty();
            assertThat(h.deadLetters()).isEmpty();
            RankerMetrics.Snapshot m = h.metrics();
            assertThat(m.emitted()).isEqualTo(1);
            assertThat(m.duplicates()).isEqualTo(2);
            assertThat(m.late()).isEqualTo(2);
        }
    }

    @Test
    void aTimedOutGroupWithEnoughScoredCompletionsIsEmittedPartial() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g7", 0, 4, 0.3).build(), 1);
            h.completion(completion("g7", 1, 4, 0.8).build(), 2);
            h.completion(completion("g7", 2, 4, 0.5).build(), 3);
            h.advance(Duration.ofSeconds(59));
            assertThat(h.advantages()).isEmpty();
            h.advance(Duration.ofSeconds(2));
            AdvantageGroup g = single(h.advantages());
            assertThat(g.getPartial()).isTrue();
            assertThat(g.getGroupSize()).as("the announced G").isEqualTo(4);
            assertThat(g.getEmittedAtMs()).isEqualTo(RankerHarness.T0.toEpochMilli() + 61_000);
            // ranked among the 3 scored: 0.3 0.8 0.5 -> ranks 3 1 2 -> A = 2 - 4 (rank - 1) / 2 = -2, 2, 0
            assertThat(g.getCompletions()).extracting(ScoredCompletion::getIndex).containsExactly(0, 1, 2);
            assertAdvantages(g, -2, 2, 0);
            assertThat(h.metrics().partial()).isEqualTo(1);
            assertThat(h.metrics().emitted()).isZero();
            assertThat(h.storeSizes()).containsExactly(1, 1);

            h.completion(completion("g7", 0, 4, 0.3).build(), 70_000);     // was emitted: late duplicate
            h.completion(completion("g7", 3, 4, 0.9).build(), 70_001);     // was not: straggler, dead-lettered
            assertThat(h.advantages()).isEmpty();
            DeadLetter dl = single(h.deadLetters());
            assertThat(dl.getReason()).isEqualTo("GROUP_TIMEOUT");
            assertThat(dl.getDetail()).contains("completion 3 of group g7 arrived after the group was emitted partial");
            assertThat(h.metrics().late()).isEqualTo(1);
        }
    }

    @Test
    void aTimedOutGroupWithTooFewScoredCompletionsIsDeadLettered() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g8", 0, 4, 0.3).build(), 1);
            h.completion(completion("g8", 1, 4, null).build(), 2);
            h.reward(reward("g8", 3, 0.4).build(), 3);
            h.reward(reward("g9", 0, 0.4).build(), 4);                      // a reward whose completions never come
            h.advance(Duration.ofSeconds(61));
            assertThat(h.advantages()).isEmpty();
            Map<String, DeadLetter> byGroup = byKey(h.deadLetters());
            assertThat(byGroup).containsOnlyKeys("g8", "g9");
            DeadLetter g8 = byGroup.get("g8");
            assertThat(g8.getReason()).isEqualTo("GROUP_TIMEOUT");
            assertThat(g8.getSourceTopic()).isEqualTo(h.config.topicNames().completions());
            assertThat(g8.getPartition()).isZero();
            assertThat(g8.getOffset()).isNull();
            assertThat(g8.getDetail()).contains("timed out after 1m", "2 of 4 completions arrived, 1 scored", "--min-scored-for-partial");
            assertThat(byGroup.get("g9").getDetail()).contains("0 of ? (no completion arrived)", "external rewards 1");
            assertThat(h.metrics().expired()).isEqualTo(2);
            assertThat(h.metrics().deadLettersByReason()).containsEntry("GROUP_TIMEOUT", 2L);
            assertThat(h.storeSizes()).as("two expired markers").containsExactly(2, 2);

            h.completion(completion("g8", 2, 4, 0.3).build(), 70_000);
            assertThat(single(h.deadLetters()).getDetail()).contains("completion 2 of group g8 arrived after the group timed out");
            h.advance(Duration.ofMinutes(11));
            assertThat(h.storeSizes()).containsExactly(0, 0);
        }
    }

    @Test
    void undecodableBytesAreDeadLetteredWithTheirCoordinatesAndTheAppKeepsRunning() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            byte[] good = h.bytes(completion("g10", 0, 2, 1.0).build());
            byte[] truncated = Arrays.copyOf(good, good.length - 3);
            byte[] wrongMagic = good.clone();
            wrongMagic[0] = 0x7b;
            byte[] unknownId = good.clone();
            ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654_321);
            List<byte[]> bad = List.of(new byte[] {1, 2, 3}, truncated, wrongMagic, unknownId);
            bad.forEach(b -> h.rawCompletion("g10", b));
            h.rawCompletion("g10", null);
            h.rawReward("g10", new byte[] {0, 0, 0});

            List<DeadLetter> dls = h.deadLetters();
            assertThat(dls).hasSize(6).allSatisfy(dl -> {
                assertThat(dl.getReason()).isEqualTo("UNDECODABLE");
                assertThat(dl.getWorker()).isEqualTo("ranker");
                assertThat(dl.getKey()).isEqualTo("g10");
                assertThat(dl.getPartition()).isZero();
            });
            for (int i = 0; i < bad.size(); i++) {
                assertThat(dls.get(i).getSourceTopic()).isEqualTo(h.config.topicNames().completions());
                assertThat(dls.get(i).getOffset()).isEqualTo(i);
                assertThat(bytes(dls.get(i).getPayload())).isEqualTo(bad.get(i));
            }
            assertThat(dls.get(0).getDetail()).contains("shorter than the 5-byte");
            assertThat(dls.get(2).getDetail()).contains("not the Confluent wire-format magic byte");
            assertThat(dls.get(3).getDetail()).contains("unknown schema id 987654321");
            assertThat(dls.get(4).getDetail()).contains("tombstone");
            assertThat(dls.get(5).getSourceTopic()).isEqualTo(h.config.topicNames().rewards());

            h.rawCompletion("g10", good);
            h.completion(completion("g10", 1, 2, 0.0).build(), 1);
            assertAdvantages(single(h.advantages()), 2, -2);
            assertThat(h.metrics().deadLettersByReason()).containsEntry("UNDECODABLE", 6L);
        }
    }

    @Test
    void nonFiniteRewardsAreDeadLetteredNeverRanked() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.reward(reward("g11", 0, Double.NaN).build(), 1);
            h.completion(completion("g11", 1, 2, Double.POSITIVE_INFINITY).build(), 2);
            h.reward(reward("g11", 1, Double.NEGATIVE_INFINITY).build(), 3);
            List<DeadLetter> dls = h.deadLetters();
            assertThat(dls).extracting(DeadLetter::getReason).containsOnly("NON_FINITE_REWARD").hasSize(3);
            assertThat(dls.get(0).getDetail()).contains("is NaN");
            assertThat(dls.get(1).getDetail()).contains("inline reward Infinity");
            // the group still completes from good records
            h.completion(completion("g11", 0, 2, 3.0).build(), 4);
            h.completion(completion("g11", 1, 2, 4.0).build(), 5);
            assertAdvantages(single(h.advantages()), -2, 2);
        }
    }

    @Test
    void outOfRangeIndicesAreDeadLettered() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.reward(reward("g12", 5, 0.5).build(), 1);                     // offset 0 on rewards, before G is known
            h.completion(completion("g12", 4, 4, 0.5).build(), 2);          // index == G
            h.completion(completion("g12", -1, 4, 0.5).build(), 3);
            h.completion(completion("g12", 0, 4, 0.5).build(), 4);          // G = 4 known now: the early reward 5 is out of range
            h.reward(reward("g12", 7, 0.5).build(), 5);
            h.reward(reward("g12", 5000, 0.5).build(), 6);                  // beyond --max-group-size
            List<DeadLetter> dls = h.deadLetters();
            assertThat(dls).extracting(DeadLetter::getReason).containsOnly("INDEX_OUT_OF_RANGE").hasSize(5);
            assertThat(dls.get(0).getDetail()).contains("completion index 4 of group g12 is outside 0..3");
            DeadLetter early = dls.get(2);
            assertThat(early.getDetail()).contains("reward index 5 of group g12 arrived before the group's completions");
            assertThat(early.getSourceTopic()).isEqualTo(h.config.topicNames().rewards());
            assertThat(early.getOffset()).isEqualTo(0L);
            assertThat(dls.get(3).getDetail()).contains("reward index 7 of group g12 is outside 0..3");
            assertThat(dls.get(4).getDetail()).contains("--max-group-size 1024");
        }
    }

    @Test
    void groupSizeProblemsAreDeadLettered() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g13", 0, 0, 0.5).build(), 1);
            h.completion(completion("g13", 0, -3, 0.5).build(), 2);
            h.completion(completion("g13", 0, 2000, 0.5).build(), 3);
            h.completion(completion("g14", 0, 2, 0.5).build(), 4);
            h.completion(completion("g14", 1, 3, 0.5).build(), 5);          // G disagrees with the group's first completion
            List<DeadLetter> dls = h.deadLetters();
            assertThat(dls).extracting(DeadLetter::getReason).containsOnly("GROUP_SIZE_MISMATCH").hasSize(4);
            assertThat(dls.get(0).getDetail()).contains("group size 0; a group size must be at least 1");
            assertThat(dls.get(2).getDetail()).contains("more than --max-group-size 1024");
            assertThat(dls.get(3).getDetail()).contains("says group size 3 but the group's first completion said 2");
            h.completion(completion("g14", 1, 2, 0.7).build(), 6);
            assertAdvantages(single(h.advantages()), -2, 2);
        }
    }

    @Test
    void inconsistentRecordsAreDeadLettered() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            Completion ok = completion("g15", 0, 2, 0.5).build();
            h.completion(Completion.newBuilder(ok).setBehaviourLogProbs(List.of(-0.1f)).build(), 1);
            h.completion("other-group", ok, 2);
            h.completion(null, ok, 3);
            h.completion(Completion.newBuilder(ok).setBehaviourLogProbs(List.of(-0.1f, Float.NaN)).build(), 4);
            h.reward("g15", reward("g15", 0, 1).setGroupId("g16").build(), 5);
            h.completion(Completion.newBuilder(ok).setTemperature(0.0).build(), 6);
            h.completion(Completion.newBuilder(ok).setPolicyStep(-1L).build(), 7);
            List<DeadLetter> dls = h.deadLetters();
            assertThat(dls).extracting(DeadLetter::getReason).containsOnly("INCONSISTENT_RECORD").hasSize(7);
            assertThat(dls.get(5).getDetail()).contains("sampled at temperature 0.0");
            assertThat(dls.get(6).getDetail()).contains("policy step -1");
            assertThat(dls.get(0).getDetail()).contains("2 token ids but 1 behaviour log-probs");
            assertThat(dls.get(1).getDetail()).contains("key 'other-group' but groupId 'g15'");
            assertThat(dls.get(1).getKey()).isEqualTo("other-group");
            assertThat(dls.get(2).getDetail()).contains("has no key");
            assertThat(dls.get(3).getDetail()).contains("log-prob NaN at token 1");
            assertThat(h.metrics().deadLettersByReason()).containsEntry("INCONSISTENT_RECORD", 7L);
            assertThat(h.storeSizes()).as("nothing bad reached the store").containsExactly(0, 0);
        }
    }

    @Test
    void severalEstimatorsSideBySideEachWriteTheirOwnTopic() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b.estimators(Estimator.GOPO, Estimator.GRPO, Estimator.RLOO))) {
            double[] rewards = {1, 2, 3, 6};
            for (int i = 0; i < 4; i++) {
                h.completion(completion("g17", i, 4, rewards[i]).build(), i);
            }
            assertThat(h.config.outputTopics()).contains(h.config.topicNames().advantages("grpo"), h.config.topicNames().advantages("rloo"));
            AdvantageGroup gopo = single(h.advantages(Estimator.GOPO));
            AdvantageGroup grpo = single(h.advantages(Estimator.GRPO));
            AdvantageGroup rloo = single(h.advantages(Estimator.RLOO));
            assertThat(gopo.getEstimator()).isEqualTo("GOPO");
            assertThat(grpo.getEstimator()).isEqualTo("GRPO");
            // ranks 4 3 2 1 -> GOPO A = 2 - 4 (rank - 1) / 3 = -2, -2/3, 2/3, 2
            assertAdvantages(gopo, -2, -2.0 / 3, 2.0 / 3, 2);
            // GRPO: mean 3, population std sqrt(3.5); (r - 3) / (1.8707287 + 1e-4)
            assertAdvantages(grpo, -1.0689878278468057, -0.5344939139234028, 0, 1.6034817417702085);
            // RLOO: r_i - mean of the other three = -8/3, -4/3, 0, 4
            assertAdvantages(rloo, -8.0 / 3, -4.0 / 3, 0, 4);
            assertThat(h.metrics().emitted()).as("counted once per group").isEqualTo(1);
        }
    }

    @Test
    void arbitraryTiesGiveTheReferenceSpreadToAnAllEqualGroup() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b.estimators(Estimator.GOPO, Estimator.GOPO_ARBITRARY_TIES))) {
            for (int i = 0; i < 3; i++) {
                h.completion(completion("g18", i, 3, 0.5).build(), i);
            }
            assertAdvantages(single(h.advantages(Estimator.GOPO)), 0, 0, 0);
            // ranks 1 2 3 by index -> 2, 0, -2
            assertAdvantages(single(h.advantages(Estimator.GOPO_ARBITRARY_TIES)), 2, 0, -2);
        }
    }

    @Test
    void aGroupOfOneIsEmittedAtOnceWithAdvantageZero() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b)) {
            h.completion(completion("g19", 0, 1, 0.5).build(), 1);
            AdvantageGroup g = single(h.advantages());
            assertAdvantages(g, 0);
            assertThat(h.storeSizes()).containsExactly(1, 1);
        }
    }

    @Test
    void aStrictlyIncreasingRewardTransformLeavesGopoUnchangedButMovesGrpo() {
        double[] rewards = {-1.5, 0.25, 2.0, 0.5};
        Map<String, List<AdvantageGroup>> byTransform = new java.util.LinkedHashMap<>();
        for (String spec : List.of("identity", "power:3")) {
            try (RankerHarness h = RankerHarness.start(stateDir.resolve(spec.replace(':', '-')),
                    b -> b.estimators(Estimator.GOPO, Estimator.GRPO).rewardTransform(RewardTransform.parse(spec)))) {
                for (int i = 0; i < 4; i++) {
                    h.completion(completion("g20", i, 4, rewards[i]).build(), i);
                }
                byTransform.put(spec, List.of(single(h.advantages(Estimator.GOPO)), single(h.advantages(Estimator.GRPO))));
            }
        }
        AdvantageGroup gopoIdentity = byTransform.get("identity").get(0);
        AdvantageGroup gopoCubed = byTransform.get("power:3").get(0);
        AdvantageGroup grpoIdentity = byTransform.get("identity").get(1);
        AdvantageGroup grpoCubed = byTransform.get("power:3").get(1);
        // ranks 4 3 1 2 -> -2, -2/3, 2, 2/3 under both transforms
        assertAdvantages(gopoIdentity, -2, -2.0 / 3, 2, 2.0 / 3);
        assertThat(advantages(gopoCubed)).isEqualTo(advantages(gopoIdentity));
        assertThat(advantages(grpoCubed)).isNotEqualTo(advantages(grpoIdentity));
        // the record carries the transformed reward: (-1.5)^3 = -3.375, 0.25^3 = 0.015625
        assertThat(gopoCubed.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(-3.375, 0.015625, 8.0, 0.125);
        assertThat(gopoIdentity.getCompletions()).extracting(ScoredCompletion::getReward).containsExactly(-1.5, 0.25, 2.0, 0.5);
    }

    @Test
    void aRewardTransformThatOverflowsIsDeadLetteredLikeANonFiniteReward() {
        try (RankerHarness h = RankerHarness.start(stateDir, b -> b.rewardTransform(RewardTransform.parse("exp:10")))) {
            h.completion(completion("g21", 0, 2, 1.0).build(), 1);
            h.completion(completion("g21", 1, 2, 100.0).build(), 2);
            assertThat(h.advantages()).isEmpty();
            DeadLetter dl = single(h.deadLetters());
            assertThat(dl.getReason()).isEqualTo("NON_FINITE_REWARD");
            assertThat(dl.getDetail()).contains("exp:10", "Infinity", "completion 1 of group g21");
            // closed like an emitted group: a re-delivery is late, not a new group
            h.completion(completion("g21", 1, 2, 100.0).build(), 3);
            assertThat(h.advantages()).isEmpty();
            assertThat(h.deadLetters()).isEmpty();
        }
    }

    private static List<Double> advantages(AdvantageGroup g) {
        return g.getCompletions().stream().map(ScoredCompletion::getAdvantage).toList();
    }

    private static void assertAdvantages(AdvantageGroup g, double... expected) {
        List<Double> actual = g.getCompletions().stream().map(ScoredCompletion::getAdvantage).toList();
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual.get(i)).as("advantage %d of %s", i, g.getGroupId()).isCloseTo(expected[i], within(TOL));
        }
    }

    private static <T> T single(List<T> values) {
        assertThat(values).hasSize(1);
        return values.get(0);
    }

    private static Map<String, DeadLetter> byKey(List<DeadLetter> dls) {
        return dls.stream().collect(java.util.stream.Collectors.toMap(DeadLetter::getKey, d -> d));
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
