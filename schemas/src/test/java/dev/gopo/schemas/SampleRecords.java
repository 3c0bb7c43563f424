package dev.gopo.schemas;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.Completion;
import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.EvaluationResult;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.avro.Prompt;
import dev.gopo.avro.Reward;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.avro.TrainingMetrics;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** One fully populated record of every schema, with non-default values in every field. */
final class SampleRecords {
    private SampleRecords() {
    }

    static Prompt prompt() {
        return Prompt.newBuilder().setPromptId("p-1").setTask("summarise").setSplit("eval").setText("the cat sat").setCreatedAtMs(11L).build();
    }

    static Completion completion() {
        return Completion.newBuilder().setGroupId("g-1").setPromptId("p-1").setTask("summarise").setIndex(3).setGroupSize(8)
                .setPromptTokenIds(List.of(1, 40, 41)).setTokenIds(List.of(50, 51, 2))
                .setBehaviourLogProbs(List.of(-0.5f, -1.25f, -0.125f)).setPolicyVersion(7L).setGeneratorId("gen-a")
                .setText("ab").setReward(0.75).setSampledAtMs(12L).setPolicyStep(35L).setTemperature(0.7).build();
    }

    static Reward reward() {
        return Reward.newBuilder().setGroupId("g-1").setIndex(3).setReward(-2.5).setProducerId("rm-x").setProducedAtMs(13L).build();
    }

    static AdvantageGroup advantageGroup() {
        ScoredCompletion a = ScoredCompletion.newBuilder().setIndex(0).setTokenIds(List.of(5, 2)).setBehaviourLogProbs(List.of(-0.1f, -0.2f))
                .setPolicyVersion(3L).setGeneratorId("gen-a").setReward(1.0).setRank(1.0).setAdvantage(2.0)
                .setPolicyStep(15L).setTemperature(0.7).build();
        ScoredCompletion b = ScoredCompletion.newBuilder().setIndex(1).setTokenIds(List.of(6)).setBehaviourLogProbs(List.of(-0.3f))
                .setPolicyVersion(4L).setGeneratorId("gen-b").setReward(0.5).setRank(2.0).setAdvantage(-2.0)
                .setPolicyStep(20L).setTemperature(0.7).build();
        return AdvantageGroup.newBuilder().setGroupId("g-1").setPromptId("p-1").setTask("summarise").setEstimator("GOPO")
                .setGroupSize(2).setPartial(true).setPromptTokenIds(List.of(1, 2, 3)).setCompletions(List.of(a, b))
                .setLastCompletionAtMs(20L).setEmittedAtMs(21L).build();
    }

    static PolicyVersion policyVersion() {
        return PolicyVersion.newBuilder().setVersion(5L).setStep(100L).setWeightsUri("file:///tmp/w").setSha256("ab".repeat(32))
                .setEstimator("GRPO").setCreatedAtMs(30L).build();
    }

    static EvaluationResult evaluationResult() {
        return EvaluationResult.newBuilder().setPolicyVersion(5L).setStep(100L).setTask("summarise").setNumPrompts(64)
                .setValidationReward(1.5).setWinRate(0.6).setWinRateCiLow(0.5).setWinRateCiHigh(0.7).setEvaluatedAtMs(31L)
                .setSamplesPerPrompt(4).setGoldQuality(0.61).setReferenceGoldQuality(0.42).build();
    }

    static TrainingMetrics trainingMetrics() {
        return TrainingMetrics.newBuilder().setLearnerId("learner-0").setStep(9L).setPolicyVersion(2L)
                .setMetrics(Map.of("loss/policy", 0.25, "ratio/clip_fraction", 0.1)).setTimestampMs(32L).build();
    }

    static DeadLetter deadLetter() {
        return DeadLetter.newBuilder().setSourceTopic("gopo.rewards").setPartition(2).setOffset(99L).setKey("g-1")
                .setReason("NON_FINITE_REWARD").setDetail("reward is NaN").setWorker("ranker")
                .setPayload(ByteBuffer.wrap(new byte[] {0, 1, 2})).setTimestampMs(33L).build();
    }
}
