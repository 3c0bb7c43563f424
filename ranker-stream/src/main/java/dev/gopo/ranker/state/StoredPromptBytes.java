package dev.gopo.ranker.state;

/**
 * A stored prompt as byte ranges: {@code [2]} + the Avro encoding of {@code StoredPrompt}, i.e.
 * {@code [promptId][task]} (the same two fields, in the same order, as in {@code Completion} and in
 * {@code AdvantageGroup}) then {@code [promptTokenIds]}. Copied, never decoded.
 */
public record StoredPromptBytes(byte[] bytes, int idAndTaskFrom, int idAndTaskTo, int tokensFrom) {
    /** End of the prompt token ids: the value's end. */
    public int tokensTo() {
        return bytes.length;
    }

    /** A value from the Avro encodings of promptId + task ({@code [idFrom, idTo)}) and of promptTokenIds ({@code [tokensFrom, tokensTo)}). */
    public static byte[] encode(AvroBytes.Writer w, byte[] source, int idFrom, int idTo, int tokensFrom, int tokensTo) {
        w.reset();
        w.write(StateCodec.FORMAT_VERSION);
        w.writeRange(source, idFrom, idTo).writeRange(source, tokensFrom, tokensTo);
        return w.toByteArray();
    }

    public static StoredPromptBytes read(byte[] value) {
        // StoredPrompt has been the same since format 1, so both versions are laid out alike
        if (value.length == 0 || (value[0] != 1 && value[0] != StateCodec.FORMAT_VERSION)) {
            throw new IllegalStateException("ranker state StoredPrompt has format version " + (value.length == 0 ? "none" : Byte.toString(value[0]))
                    + ", this ranker reads versions 1 and " + StateCodec.FORMAT_VERSION
                    + ": it was written by a different ranker release; run that release or reset the application (kafka-streams-application-reset)");
        }
        try {
            AvroBytes.Reader r = new AvroBytes.Reader(value, 1, value.length);
            r.skipString();
            r.skipString();
            int tokensFrom = r.pos();
            r.skipIntArray();
            if (!r.atEnd()) {
                throw new IllegalArgumentException("trailing bytes");
            }
            return new StoredPromptBytes(value, 1, tokensFrom, tokensFrom);
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new IllegalStateException("ranker state StoredPrompt is corrupt: " + e, e);
        }
    }
}
