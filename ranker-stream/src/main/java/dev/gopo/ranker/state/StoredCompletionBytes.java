package dev.gopo.ranker.state;

import dev.gopo.ranker.state.avro.StoredCompletion;

/**
 * A stored completion as byte ranges, without decoding its token ids and log-probs. A format-2 value
 * is {@code [2]} + the Avro encoding of {@code StoredCompletion}, whose fields are laid out as
 *
 * <pre>
 *   [tokenIds][behaviourLogProbs][policyVersion][generatorId]  [inlineReward]  [policyStep][temperature]
 *   └──────────────── payload: the same four fields, in the ──┘                 └──── tail: the same two
 *                     same order and types, as in Completion                          fields as at the end
 *                     and in ScoredCompletion                                         of ScoredCompletion
 * </pre>
 *
 * so the payload is copied from a completion's bytes when it is stored and into the emitted
 * {@code ScoredCompletion} when the group is emitted, and only the inline reward is ever decoded.
 */
public record StoredCompletionBytes(byte[] bytes, int payloadFrom, int payloadTo, Double inlineReward, int tailFrom) {
    private static final StateCodec<StoredCompletion> FORMAT_1 = new StateCodec<>(StoredCompletion.class);

    /** End of the tail: the value's end. */
    public int tailTo() {
        return bytes.length;
    }

    /**
     * A format-2 value from a payload range of {@code source} (the Avro encoding of tokenIds, behaviourLogProbs,
     * policyVersion and generatorId, in that order) and the remaining fields.
     */
    public static byte[] encode(AvroBytes.Writer w, byte[] source, int payloadFrom, int payloadTo, Double inlineReward, long policyStep,
                                double temperature) {
        w.reset();
        w.write(StateCodec.FORMAT_VERSION);
        w.writeRange(source, payloadFrom, payloadTo).writeNullableDouble(inlineReward).writeLong(policyStep).writeDouble(temperature);
        return w.toByteArray();
    }

    /** Reads a stored value of any supported format; a format-1 value (a previous release's changelog) is upgraded on the fly. */
    public static StoredCompletionBytes read(byte[] value) {
        if (value.length > 0 && value[0] == 1) {
            // rare: only values restored from a previous release's changelog; decode, then encode as the current format
            value = FORMAT_1.encode(FORMAT_1.decode(value));
        }
        if (value.length == 0 || value[0] != StateCodec.FORMAT_VERSION) {
            FORMAT_1.decode(value); // throws the codec's explanation of the unknown format
        }
        try {
            AvroBytes.Reader r = new AvroBytes.Reader(value, 1, value.length);
            r.skipIntArray();
            r.skipFloatArray(null);
            r.readLong();
            r.skipString();
            int payloadTo = r.pos();
            Double inline = r.readNullableDouble();
            int tailFrom = r.pos();
            r.readLong();
            r.readDouble();
            if (!r.atEnd()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new StoredCompletionBytes(value, 1, payloadTo, inline, tailFrom);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalStateException("ranker state StoredCompletion is corrupt: " + e, e);
        }
    }
}
