package dev.gopo.tasks;

/**
 * Assigns a prompt text to a {@link Split} by a fixed hash of its characters, not by the order
 * or seed it was generated with: the same text is always in the same split, so train and eval
 * prompts can never overlap, even across seeds and task versions.
 *
 * <pre>
 * h = FNV-1a-64(text);   split = EVAL if h mod 5 == 0, else TRAIN     (about 20% eval)
 * </pre>
 */
public final class PromptSplit {

    /** One prompt in {@code EVAL_MODULUS} is held out. */
    static final int EVAL_MODULUS = 5;

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private PromptSplit() {}

    /** The split {@code promptText} belongs to. */
    public static Split of(String promptText) {
        return Long.remainderUnsigned(hash(promptText), EVAL_MODULUS) == 0 ? Split.EVAL : Split.TRAIN;
    }

    /** FNV-1a 64-bit over the UTF-16 code units; stable across JVMs (unlike {@code String.hashCode} mixing). */
    static long hash(String text) {
        long h = FNV_OFFSET;
        for (int i = 0; i < text.length(); i++) {
            h ^= text.charAt(i);
            h *= FNV_PRIME;
        }
        return h;
    }
}
