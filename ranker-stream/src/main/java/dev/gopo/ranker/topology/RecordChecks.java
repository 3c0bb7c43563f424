package dev.gopo.ranker.topology;

import dev.gopo.avro.Reward;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RewardSource;

/**
 * Checks a single record can make on its own, before it touches any group state (checks against
 * the group, such as a group-size mismatch, are the assembler's). Pure functions: {@code null}
 * means the record is fine.
 */
final class RecordChecks {
    private RecordChecks() {
    }

    static Rejection completion(String key, IncomingCompletion c, RankerConfig config) {
        Rejection keyProblem = key(key, c.groupId(), "completion");
        if (keyProblem != null) {
            return keyProblem;
        }
        int g = c.groupSize();
        if (g <= 0) {
            return new Rejection(DeadLetterReason.GROUP_SIZE_MISMATCH, "completion " + c.index() + " of group " + c.groupId()
                    + " has group size " + g + "; a group size must be at least 1");
        }
        if (g > config.maxGroupSize()) {
            return new Rejection(DeadLetterReason.GROUP_SIZE_MISMATCH, "completion " + c.index() + " of group " + c.groupId()
                    + " has group size " + g + ", more than --max-group-size " + config.maxGroupSize() + "; raise it if such groups are intended");
        }
        if (c.index() < 0 || c.index() >= g) {
            return new Rejection(DeadLetterReason.INDEX_OUT_OF_RANGE, "completion index " + c.index() + " of group " + c.groupId()
                    + " is outside 0.." + (g - 1) + " for group size " + g);
        }
        if (c.tokenCount() != c.logProbCount()) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.index() + " of group " + c.groupId() + " has "
                    + c.tokenCount() + " token ids but " + c.logProbCount() + " behaviour log-probs; they must be one per token");
        }
        if (c.nonFiniteLogProbAt() >= 0) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.index() + " of group " + c.groupId()
                    + " has behaviour log-prob " + c.nonFiniteLogProb() + " at token " + c.nonFiniteLogProbAt() + "; log-probs of sampled tokens must be finite");
        }
        if (!(c.temperature() > 0) || Double.isInfinite(c.temperature())) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.index() + " of group " + c.groupId()
                    + " says it was sampled at temperature " + c.temperature() + "; a sampling temperature is a finite number > 0");
        }
        if (c.policyStep() < 0 || c.policyVersion() < 0) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.index() + " of group " + c.groupId()
                    + " has policy version " + c.policyVersion() + " and policy step " + c.policyStep()
                    + "; both count from 0 (the reference policy)");
        }
        Double reward = c.reward();
        if (config.rewardSource().usesInline() && reward != null && !Double.isFinite(reward)) {
            return new Rejection(DeadLetterReason.NON_FINITE_REWARD, "completion " + c.index() + " of group " + c.groupId()
                    + " has inline reward " + reward + "; rewards must be finite");
        }
        if (config.rewardSource() == RewardSource.INLINE && reward == null) {
            return new Rejection(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.index() + " of group " + c.groupId()
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
