package dev.gopo.ranker.topology;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RewardSource;
import java.util.List;

/**
 * Checks a single record can make on its own, before it touches any group state (checks against
 * the group, such as a group-size mismatch, are the assembler's). Pure functions: {@code null}
 * means the record is fine.
 */
final class RecordChecks {
    private RecordChecks() {
    }

    static Rejection completion(String key, Completion c, RankerConfig config) {
        Rejection keyProblem = key(key, c.getGroupId(), "completion");
        if (keyProblem != null) {
            return keyProblem;
        }
        int g = c.getGroupSize();
        if (g <= 0) {
            return new Rejection(DeadLetterReason.GROUP_SIZE_MISMATCH, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has group size " + g + "; a group size must be at least 1");
        }
        if (g > config.maxGroupSize()) {
            return new Rejection(DeadLetterReason.GROUP_SIZE_MISMATCH, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has group size " + g + ", more than --max-group-size " + config.maxGroupSize() + "; raise it if such groups are intended");
        }
        if (c.getIndex() < 0 || c.getIndex() >= g) {
            return new Rejection(DeadLetterReason.INDEX_OUT_OF_RANGE, "completion index " + c.getIndex() + " of group " + c.getGroupId()
                    + " is outside 0.." + (g - 1) + " for group size " + g);
        }
        List<Float> logProbs = c.getBehaviourLogProbs();
        if (c.getTokenIds().size() != logProbs.size()) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group " + c.getGroupId() + " has "
                    + c.getTokenIds().size() + " token ids but " + logProbs.size() + " behaviour log-probs; they must be one per token");
        }
        for (int t = 0; t < logProbs.size(); t++) {
            if (!Float.isFinite(logProbs.get(t))) {
                return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group " + c.getGroupId()
                        + " has behaviour log-prob " + logProbs.get(t) + " at token " + t + "; log-probs of sampled tokens must be finite");
            }
        }
        if (!(c.getTemperature() > 0) || Double.isInfinite(c.getTemperature())) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " says it was sampled at temperature " + c.getTemperature() + "; a sampling temperature is a finite number > 0");
        }
        if (c.getPolicyStep() < 0 || c.getPolicyVersion() < 0) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has policy version " + c.getPolicyVersion() + " and policy step " + c.getPolicyStep()
                    + "; both count from 0 (the reference policy)");
        }
        Double reward = c.getReward();
        if (config.rewardSource().usesInline() && reward != null && !Double.isFinite(reward)) {
            return new Rejection(DeadLetterReason.NON_FINITE_REWARD, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has inline reward " + reward + "; rewards must be finite");
        }
        if (config.rewardSource() == RewardSource.INLINE && reward == null) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has no inline reward but the ranker runs with --reward-source INLINE; use EXTERNAL or ANY when rewards come from the rewards topic");
        }
        return null;
    }

    static Rejection reward(String key, Reward r, RankerConfig config) {
        Rejection keyProblem = key(key, r.getGroupId(), "reward");
        if (keyProblem != null) {
            return keyProblem;
        }
        if (!Double.isFinite(r.getReward())) {
            return new Rejection(DeadLetterReason.NON_FINITE_REWARD, "reward for completion " + r.getIndex() + " of group " + r.getGroupId()
                    + " is " + r.getReward() + " (producer " + r.getProducerId() + "); rewards must be finite");
        }
        if (r.getIndex() < 0 || r.getIndex() >= config.maxGroupSize()) {
            return new Rejection(DeadLetterReason.INDEX_OUT_OF_RANGE, "reward index " + r.getIndex() + " of group " + r.getGroupId()
                    + " is negative or not below --max-group-size " + config.maxGroupSize());
        }
        return null;
    }

    private static Rejection key(String key, String groupId, String what) {
        if (key == null) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, what + " of group " + groupId
                    + " has no key; key it by its group id so all records of a group land on one partition");
        }
        if (!key.equals(groupId)) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, what + " has key '" + key + "' but groupId '" + groupId
                    + "'; the key must be the group id so all records of a group land on one partition");
        }
        return null;
    }
}
