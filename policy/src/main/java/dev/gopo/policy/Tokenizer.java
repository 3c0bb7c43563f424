package dev.gopo.policy;

import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Character-level tokenizer over a fixed vocabulary, shared by every worker and saved with the
 * model as {@code tokenizer.json}.
 *
 * <p>Ids: {@link #PAD}=0, {@link #BOS}=1, {@link #EOS}=2, {@link #SEP}=3, then one id per character
 * of {@link #characters()} (printable ASCII 32..126 for {@link #ascii()}, ids 4..98, vocabulary 99).
 *
 * <p>Prompt convention (see {@link #encodePrompt}): {@code BOS prompt-chars SEP}; the completion
 * follows directly and ends with {@code EOS}. Immutable and thread-safe.
 */
public final class Tokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int SEP = 3;
    /** Names of the special ids 0..3, in id order. */
    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<bos>", "<eos>", "<sep>");

    private static final int FIRST_CHAR_ID = SPECIAL_TOKENS.size();

    private final String characters;
    /** char -> id, -1 when unknown; chars are restricted to 0..65535 so an array is enough. */
    private final int[] idOfChar;

    private Tokenizer(String characters) {
        if (characters == null || characters.isEmpty()) {
            throw new IllegalArgumentException("tokenizer characters are empty: use Tokenizer.ascii()");
        }
        this.characters = characters;
        this.idOfChar = new int[Character.MAX_VALUE + 1];
        Arrays.fill(idOfChar, -1);
        for (int i = 0; i < characters.length(); i++) {
            char c = characters.charAt(i);
            if (idOfChar[c] != -1) {
                throw new IllegalArgumentException("tokenizer character " + describe(c) + " appears twice");
            }
            idOfChar[c] = FIRST_CHAR_ID + i;
        }
    }

    /** The standard vocabulary: specials then printable ASCII 32..126. */
    public static Tokenizer ascii() {
        StringBuilder sb = new StringBuilder();
        for (char c = 32; c <= 126; c++) {
            sb.append(c);
        }
        return new Tokenizer(sb.toString());
    }

    /** Number of ids, specials included. */
    public int vocabSize() {
        return FIRST_CHAR_ID + characters.length();
    }

    /** The characters with an id, in id order starting at id 4. */
    public String characters() {
        return characters;
    }

    /**
     * Encodes text character by character, without specials.
     *
     * @throws IllegalArgumentException naming the first character outside the vocabulary and its index
     */
    public int[] encode(String text) {
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            char c = text.charAt(i);
            int id = idOfChar[c];
            if (id < 0) {
                throw new IllegalArgumentException("character " + describe(c) + " at position " + i
                        + " is not in the tokenizer vocabulary (printable ASCII 32..126); "
                        + "replace or strip it before encoding");
            }
            ids[i] = id;
        }
        return ids;
    }

    /** Encodes a prompt as {@code BOS text SEP}: the context a completion is sampled after. */
    public int[] encodePrompt(String prompt) {
        int[] body = encode(prompt);
        int[] ids = new int[body.length + 2];
        ids[0] = BOS;
        System.arraycopy(body, 0, ids, 1, body.length);
        ids[ids.length - 1] = SEP;
        return ids;
    }

    /**
     * Decodes ids to text: stops at the first {@link #EOS}, skips the other specials.
     *
     * @throws IllegalArgumentException for an id outside {@code [0, vocabSize)}
     */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " at position " + i
                        + " is outside the vocabulary [0, " + vocabSize() + ")");
            }
            if (id == EOS) {
                break;
            }
            if (id >= FIRST_CHAR_ID) {
                sb.append(characters.charAt(id - FIRST_CHAR_ID));
            }
        }
        return sb.toString();
    }

    /** Writes this tokenizer as JSON (atomically). */
    public void save(Path file) throws IOException {
        Json.write(file, new TokenizerFile(TokenizerFile.TYPE, SPECIAL_TOKENS, characters));
    }

    /** Reads a tokenizer written by {@link #save}. */
    public static Tokenizer load(Path file) throws IOException {
        TokenizerFile f = Json.read(file, TokenizerFile.class);
        if (!TokenizerFile.TYPE.equals(f.type())) {
            throw new IOException(file + ": tokenizer type '" + f.type() + "' is not supported (expected '"
                    + TokenizerFile.TYPE + "')");
        }
        if (!SPECIAL_TOKENS.equals(f.specialTokens())) {
            throw new IOException(file + ": special tokens " + f.specialTokens() + " differ from "
                    + SPECIAL_TOKENS + " that this code assumes");
        }
        return new Tokenizer(f.characters());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokenizer t && t.characters.equals(characters);
    }

    @Override
    public int hashCode() {
        return characters.hashCode();
    }

    @Override
    public String toString() {
        return "Tokenizer[char-level, vocabSize=" + vocabSize() + "]";
    }

    private static String describe(char c) {
        return c >= 32 && c <= 126 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** JSON form of the tokenizer. */
    record TokenizerFile(String type, List<String> specialTokens, String characters) {
        static final String TYPE = "char";
    }
}
