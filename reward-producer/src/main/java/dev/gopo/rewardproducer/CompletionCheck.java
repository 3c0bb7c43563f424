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
     * with {@code tokenizer}. Token ids outside the tokenizer's vocabulary are rejected ({@code MODEL_MISMATCH}) even when
     * the text is present: the learner trains on the ids, and this is the first worker on the path that knows the
     * vocabulary (the ranker has none). The prompt is always decoded from its token ids (specials such as BOS
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
        String misfit = outsideVocabulary(c.getPromptTokenIds(), tokenizer.vocabSize(), "prompt");
        if (misfit == null) {
            misfit = outsideVocabulary(c.getTokenIds(), tokenizer.vocabSize(), "completion");
        }
        if (misfit != null) {
            // Checked even when the text field is present: the learner trains on the token ids, not the text.
            return new Rejected(DeadLetterReason.MODEL_MISMATCH, "completion " + c.getIndex() + " of group " + c.getGroupId()
                    + ": " + misfit + "; it was sampled by another model or written by a bad producer");
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

    private static String outsideVocabulary(List<Integer> ids, int vocabSize, String part) {
        for (int k = 0; k < ids.size(); k++) {
            int id = ids.get(k);
            if (id < 0 || id >= vocabSize) {
                return part + " token " + id + " at position " + k + " is outside the vocabulary [0, " + vocabSize + ")";
            }
        }
        return null;
    }

    private static int[] toArray(List<Integer> ids) {
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
