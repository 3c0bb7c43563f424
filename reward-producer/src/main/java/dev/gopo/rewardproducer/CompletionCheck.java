package dev.gopo.rewardproducer;

import dev.gopo.avro.Completion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.Tokenizer;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Checks a decoded completion before it is scored and extracts the texts a scorer reads. Rejects
 * what would give an invalid reward (a key other than the group id, an index outside the group)
 * or no text at all, so a reward is never written for a record the ranker would refuse anyway.
 */
final class CompletionCheck {
    private CompletionCheck() {
    }

    /** What the check found. */
    sealed interface Result permits Scorable, Rejected {
    }

    /**
     * A completion ready to score.
     *
     * @param raw        the consumed record, for a dead letter if scoring fails
     * @param completion the decoded completion
     * @param prompt     the prompt text
     * @param text       the completion text
     */
    record Scorable(ConsumerRecord<String, byte[]> raw, Completion completion, String prompt, String text) implements Result {
    }

    /** A completion that goes to the dead-letter topic, with the reason and what is wrong. */
    record Rejected(DeadLetterReason reason, String detail) implements Result {
    }

    /**
     * The completion's own {@code text} is used when present; otherwise its token ids are decoded
     * with {@code tokenizer}. The prompt is always decoded from its token ids (specials such as BOS
     * and SEP are skipped).
     */
    static Result check(ConsumerRecord<String, byte[]> raw, Completion c, Tokenizer tokenizer) {
        if (raw.key() == null || !raw.key().equals(c.getGroupId())) {
            return new Rejected(DeadLetterReason.INCONSISTENT_RECORD, "completion " + c.getIndex() + " has key '" + raw.key()
                    + "' but groupId '" + c.getGroupId() + "'; rewards are keyed by the group id, so the key must equal it");
        }
        if (c.getIndex() < 0 || c.getIndex() >= c.getGroupSize()) {
            return new Rejected(DeadLetterReason.INDEX_OUT_OF_RANGE, "completion index " + c.getIndex() + " of group "
                    + c.getGroupId() + " is outside 0.." + (c.getGroupSize() - 1) + " for group size " + c.getGroupSize());
        }
        try {
            String text = c.getText() != null ? c.getText() : tokenizer.decode(toArray(c.getTokenIds()));
            String prompt = tokenizer.decode(toArray(c.getPromptTokenIds()));
            return new Scorable(raw, c, prompt, text);
        } catch (IllegalArgumentException e) {
            return new Rejected(DeadLetterReason.UNDECODABLE, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + " has no text and its token ids cannot be decoded: " + e.getMessage());
        }
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
