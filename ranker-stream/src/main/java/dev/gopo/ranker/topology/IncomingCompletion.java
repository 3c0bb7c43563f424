package dev.gopo.ranker.topology;

import dev.gopo.ranker.state.AvroBytes;
import dev.gopo.ranker.state.StoredCompletionBytes;
import dev.gopo.ranker.state.StoredPromptBytes;

/**
 * A completion as the ranker reads it: the fields the checks and the assembler look at, decoded, and
 * byte ranges of the Avro encoding (current {@code Completion} schema) for what it only passes on — the
 * prompt, the token ids and the behaviour log-probs — which are never turned into Java lists.
 *
 * <p>{@code Completion} fields in order: groupId, promptId, task, index, groupSize, promptTokenIds,
 * tokenIds, behaviourLogProbs, policyVersion, generatorId, text, reward, sampledAtMs, policyStep,
 * temperature. {@code [promptId][task]}, {@code [promptTokenIds]} and
 * {@code [tokenIds][behaviourLogProbs][policyVersion][generatorId]} are each contiguous, and each is laid
 * out exactly as in {@code StoredPrompt} / {@code StoredCompletion} and {@code AdvantageGroup} /
 * {@code ScoredCompletion}.
 */
record IncomingCompletion(String groupId, String promptId, String task, int index, int groupSize, int tokenCount, int logProbCount,
                          int nonFiniteLogProbAt, float nonFiniteLogProb, long policyVersion, Double reward, long policyStep, double temperature,
                          byte[] bytes, int idAndTaskFrom, int idAndTaskTo, int promptTokensFrom, int promptTokensTo, int payloadFrom, int payloadTo) {

    /**
     * Scans {@code bytes[offset..]}, the Avro encoding of a {@code Completion} written with the current schema.
     *
     * @throws IllegalArgumentException (or {@link ArithmeticException}) when the bytes are not such an encoding
     */
    static IncomingCompletion scan(byte[] bytes, int offset) {
        AvroBytes.Reader r = new AvroBytes.Reader(bytes, offset, bytes.length);
        String groupId = r.readString();
        int idFrom = r.pos();
        String promptId = r.readString();
        String task = r.readString();
        int idTo = r.pos();
        int index = r.readInt();
        int groupSize = r.readInt();
        int promptFrom = r.pos();
        r.skipIntArray();
        int promptTo = r.pos();
        int tokens = r.skipIntArray();
        AvroBytes.NonFinite nonFinite = new AvroBytes.NonFinite();
        int logProbs = r.skipFloatArray(nonFinite);
        long policyVersion = r.readLong();
        r.skipString(); // generatorId
        int payloadTo = r.pos();
        r.skipNullableString(); // text: not kept
        Double reward = r.readNullableDouble();
        r.readLong(); // sampledAtMs
        long policyStep = r.readLong();
        double temperature = r.readDouble();
        if (!r.atEnd()) {
            throw new IllegalArgumentException("trailing bytes after the Completion");
        }
        return new IncomingCompletion(groupId, promptId, task, index, groupSize, tokens, logProbs, nonFinite.index(), nonFinite.value(),
                policyVersion, reward, policyStep, temperature, bytes, idFrom, idTo, promptFrom, promptTo, promptTo, payloadTo);
    }

    /** The {@code ranker-groups} value of this completion's prompt. */
    byte[] storedPrompt(AvroBytes.Writer w) {
        return StoredPromptBytes.encode(w, bytes, idAndTaskFrom, idAndTaskTo, promptTokensFrom, promptTokensTo);
    }

    /** The {@code ranker-groups} value of this completion, with the inline reward the reward source keeps (or null). */
    byte[] storedCompletion(AvroBytes.Writer w, Double inlineReward) {
        return StoredCompletionBytes.encode(w, bytes, payloadFrom, payloadTo, inlineReward, policyStep, temperature);
    }
}
