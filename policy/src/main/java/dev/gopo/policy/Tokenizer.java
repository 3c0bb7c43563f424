package dev.gopo.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gopo.policy.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Tokenizer over a fixed vocabulary, shared by every worker and saved with the model as
 * {@code tokenizer.json}. Two kinds:
 *
 * <ul>
 *   <li><b>char</b> ({@link #ascii()}): one id per printable ASCII character 32..126, ids 4..98,
 *       vocabulary 99. Anything outside it is rejected by {@link #encode}.</li>
 *   <li><b>word</b> ({@link #words(List)}): one id per whitespace-separated word of a closed
 *       lexicon (id 4 is {@link #UNKNOWN_WORD}, then the words in the order given). Text is split
 *       on whitespace; a word outside the lexicon encodes as {@link #UNKNOWN_WORD}; decoding joins
 *       words with one space. A policy over such a vocabulary can only write words it knows,
 *       so every sample is made of words and the RL signal is about choosing them.</li>
 * </ul>
 *
 * <p>Ids {@link #PAD}=0, {@link #BOS}=1, {@link #EOS}=2, {@link #SEP}=3 are shared by both kinds.
 * Prompt convention (see {@link #encodePrompt}): {@code BOS prompt-tokens SEP}; the completion
 * follows directly and ends with {@code EOS}. Immutable and thread-safe.
 */
public final class Tokenizer {

    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    public static final int SEP = 3;
    /** Names of the special ids 0..3, in id order. */
    public static final List<String> SPECIAL_TOKENS = List.of("<pad>", "<bos>", "<eos>", "<sep>");
    /** The first symbol of every word vocabulary: what a word outside the lexicon encodes to. */
    public static final String UNKNOWN_WORD = "<unk>";

    private static final int FIRST_SYMBOL_ID = SPECIAL_TOKENS.size();

    /** The two kinds of vocabulary, as written in {@code tokenizer.json}. */
    public enum Kind {
        CHAR("char"), WORD("word");

        private final String json;

        Kind(String json) {
            this.json = json;
        }

        static Kind of(String json) {
            for (Kind k : values()) {
                if (k.json.equals(json)) {
                    return k;
                }
            }
            return null;
        }
    }

    private final Kind kind;
    /** The symbols with an id, in id order starting at id 4: single characters or words. */
    private final List<String> symbols;
    /** char kind: char -> id, -1 when unknown (chars are 0..65535, so an array is enough). */
    private final int[] idOfChar;
    /** word kind: word -> id. */
    private final Map<String, Integer> idOfWord;

    private Tokenizer(Kind kind, List<String> symbols) {
        if (symbols == null || symbols.isEmpty()) {
            throw new IllegalArgumentException("tokenizer vocabulary is empty: use Tokenizer.ascii() or Tokenizer.words(...)");
        }
        this.kind = kind;
        this.symbols = List.copyOf(symbols);
        if (kind == Kind.CHAR) {
            this.idOfWord = Map.of();
            this.idOfChar = new int[Character.MAX_VALUE + 1];
            Arrays.fill(idOfChar, -1);
            for (int i = 0; i < symbols.size(); i++) {
                String s = symbols.get(i);
                if (s.length() != 1) {
                    throw new IllegalArgumentException("char tokenizer symbol '" + s + "' is not one character");
                }
                char c = s.charAt(0);
                if (idOfChar[c] != -1) {
                    throw new IllegalArgumentException("tokenizer character " + describe(c) + " appears twice");
                }
                idOfChar[c] = FIRST_SYMBOL_ID + i;
            }
        } else {
            this.idOfChar = null;
            if (!UNKNOWN_WORD.equals(symbols.get(0))) {
                throw new IllegalArgumentException("a word vocabulary starts with " + UNKNOWN_WORD + ", got '"
                        + symbols.get(0) + "'");
            }
            Map<String, Integer> ids = new HashMap<>();
            for (int i = 0; i < symbols.size(); i++) {
                String w = symbols.get(i);
                if (w.isEmpty() || w.chars().anyMatch(Character::isWhitespace)) {
                    throw new IllegalArgumentException("word '" + w + "' is empty or contains whitespace");
                }
                if (ids.put(w, FIRST_SYMBOL_ID + i) != null) {
                    throw new IllegalArgumentException("word '" + w + "' appears twice in the vocabulary");
                }
            }
            this.idOfWord = Map.copyOf(ids);
        }
    }

    /** The character vocabulary: specials then printable ASCII 32..126. */
    public static Tokenizer ascii() {
        List<String> chars = new ArrayList<>();
        for (char c = 32; c <= 126; c++) {
            chars.add(String.valueOf(c));
        }
        return new Tokenizer(Kind.CHAR, chars);
    }

    /**
     * A word vocabulary: specials, {@link #UNKNOWN_WORD}, then {@code lexicon} in the order given.
     *
     * @throws IllegalArgumentException for an empty lexicon, a duplicate, or a word with whitespace
     */
    public static Tokenizer words(List<String> lexicon) {
        List<String> symbols = new ArrayList<>(lexicon.size() + 1);
        symbols.add(UNKNOWN_WORD);
        symbols.addAll(lexicon);
        if (lexicon.isEmpty()) {
            throw new IllegalArgumentException("a word tokenizer needs at least one word");
        }
        return new Tokenizer(Kind.WORD, symbols);
    }

    public Kind kind() {
        return kind;
    }

    /** Number of ids, specials included. */
    public int vocabSize() {
        return FIRST_SYMBOL_ID + symbols.size();
    }

    /** The symbols with an id (characters or words), in id order starting at id 4. */
    public List<String> symbols() {
        return symbols;
    }

    /** The characters with an id, in id order starting at id 4 (char kind only). */
    public String characters() {
        if (kind != Kind.CHAR) {
            throw new IllegalStateException("a word tokenizer has no character list: use symbols()");
        }
        return String.join("", symbols);
    }

    /**
     * Encodes text without specials: character by character, or word by word (split on whitespace).
     *
     * @throws IllegalArgumentException (char kind) naming the first character outside the vocabulary and its index
     */
    public int[] encode(String text) {
        if (kind == Kind.WORD) {
            String stripped = text.strip();
            if (stripped.isEmpty()) {
                return new int[0];
            }
            String[] words = stripped.split("\\s+");
            int[] ids = new int[words.length];
            int unknown = idOfWord.get(UNKNOWN_WORD);
            for (int i = 0; i < words.length; i++) {
                ids[i] = idOfWord.getOrDefault(words[i], unknown);
            }
            return ids;
        }
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
     * Decodes ids to text: stops at the first {@link #EOS}, skips the other specials; words are
     * joined with one space.
     *
     * @throws IllegalArgumentException for an id outside {@code [0, vocabSize)}
     */
    public String decode(int[] ids) {
        StringBuilder sb = new StringBuilder(ids.length * (kind == Kind.WORD ? 6 : 1));
        String separator = kind == Kind.WORD ? " " : "";
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= vocabSize()) {
                throw new IllegalArgumentException("token id " + id + " at position " + i
                        + " is outside the vocabulary [0, " + vocabSize() + ")");
            }
            if (id == EOS) {
                break;
            }
            if (id >= FIRST_SYMBOL_ID) {
                if (sb.length() > 0) {
                    sb.append(separator);
                }
                sb.append(symbols.get(id - FIRST_SYMBOL_ID));
            }
        }
        return sb.toString();
    }

    /** Writes this tokenizer as JSON (atomically). */
    public void save(Path file) throws IOException {
        if (kind == Kind.CHAR) {
            Json.write(file, new TokenizerFile(Kind.CHAR.json, SPECIAL_TOKENS, characters(), null));
        } else {
            Json.write(file, new TokenizerFile(Kind.WORD.json, SPECIAL_TOKENS, null, symbols));
        }
    }

    /** Reads a tokenizer written by {@link #save}. */
    public static Tokenizer load(Path file) throws IOException {
        TokenizerFile f = Json.read(file, TokenizerFile.class);
        Kind kind = Kind.of(f.type());
        if (kind == null) {
            throw new IOException(file + ": tokenizer type '" + f.type() + "' is not supported (expected 'char' or 'word')");
        }
        if (!SPECIAL_TOKENS.equals(f.specialTokens())) {
            throw new IOException(file + ": special tokens " + f.specialTokens() + " differ from "
                    + SPECIAL_TOKENS + " that this code assumes");
        }
        try {
            if (kind == Kind.CHAR) {
                if (f.characters() == null) {
                    throw new IOException(file + ": a char tokenizer needs \"characters\"");
                }
                return new Tokenizer(Kind.CHAR, f.characters().chars().mapToObj(c -> String.valueOf((char) c)).toList());
            }
            if (f.words() == null) {
                throw new IOException(file + ": a word tokenizer needs \"words\"");
            }
            return new Tokenizer(Kind.WORD, f.words());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tokenizer t && t.kind == kind && t.symbols.equals(symbols);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, symbols);
    }

    @Override
    public String toString() {
        return "Tokenizer[" + kind.json + "-level, vocabSize=" + vocabSize() + "]";
    }

    private static String describe(char c) {
        return c >= 32 && c <= 126 ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }

    /** JSON form of the tokenizer: {@code characters} for the char kind, {@code words} (from id 4) for the word kind. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TokenizerFile(String type, List<String> specialTokens, String characters, List<String> words) {
    }
}
