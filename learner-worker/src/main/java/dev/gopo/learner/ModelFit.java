package dev.gopo.learner;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import java.util.List;
import java.util.Optional;

/**
 * Whether an advantage group fits the model the learner trains: every token id in {@code [0, vocabSize)} and every
 * prompt + completion within the context {@code maxSeqLen}.
 *
 * <p>Why a check of its own: the ranker has no tokenizer, so a completion written by another model or a bad producer
 * (token 99999 against a vocabulary of 99) reaches the learner as a valid record. Without this check the trainer's
 * batch builder refuses the whole step, the learner exits, and since its position is only saved at a checkpoint it
 * reads the same group again after every restart: a poison pill. Checked per group, before the group joins a step,
 * so only the bad group is dead-lettered ({@code MODEL_MISMATCH}).
 */
final class ModelFit {
    private ModelFit() {
    }

    /** What is wrong with {@code group} for a model of {@code vocabSize} ids and context {@code maxSeqLen}, or empty when it fits. */
    static Optional<String> check(AdvantageGroup group, int vocabSize, int maxSeqLen) {
        List<Integer> prompt = group.getPromptTokenIds();
        Optional<String> bad = outside(prompt, vocabSize, "prompt");
        if (bad.isPresent()) {
            return bad.map(d -> "group " + group.getGroupId() + ": " + d);
        }
        for (ScoredCompletion c : group.getCompletions()) {
            bad = outside(c.getTokenIds(), vocabSize, "completion " + c.getIndex());
            if (bad.isPresent()) {
                return bad.map(d -> "group " + group.getGroupId() + ": " + d);
            }
            int length = prompt.size() + c.getTokenIds().size();
            if (length > maxSeqLen) {
                return Optional.of("group " + group.getGroupId() + ": completion " + c.getIndex() + " has " + prompt.size()
                        + " prompt + " + c.getTokenIds().size() + " completion tokens = " + length + ", more than the model context "
                        + maxSeqLen + "; it was sampled by another model or written by a bad producer");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> outside(List<Integer> ids, int vocabSize, String part) {
        for (int k = 0; k < ids.size(); k++) {
            int id = ids.get(k);
            if (id < 0 || id >= vocabSize) {
                return Optional.of(part + " token " + id + " at position " + k + " is outside the vocabulary [0, " + vocabSize
                        + ") of the model being trained; it was sampled by another model or written by a bad producer");
            }
        }
        return Optional.empty();
    }
}
