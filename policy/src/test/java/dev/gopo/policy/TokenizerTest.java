package dev.gopo.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenizerTest {

    private final Tokenizer tokenizer = Tokenizer.ascii();

    @Test
    void vocabularyIsSpecialsThenPrintableAscii() {
        assertThat(tokenizer.vocabSize()).isEqualTo(4 + 95);
        assertThat(tokenizer.encode(" ")).containsExactly(4);
        assertThat(tokenizer.encode("~")).containsExactly(98);
        assertThat(tokenizer.encode("A")).containsExactly(4 + ('A' - 32));
    }

    @Test
    void roundTripsEveryPrintableCharacter() {
        String text = tokenizer.characters() + " Hello, world! {x: [1, 2]} ~`";
        assertThat(tokenizer.decode(tokenizer.encode(text))).isEqualTo(text);
    }

    @Test
    void decodeStopsAtEosAndSkipsOtherSpecials() {
        int[] ids = {Tokenizer.BOS, 4 + ('h' - 32), Tokenizer.SEP, 4 + ('i' - 32), Tokenizer.PAD,
            Tokenizer.EOS, 4 + ('x' - 32)};
        assertThat(tokenizer.decode(ids)).isEqualTo("hi");
    }

    @Test
    void encodePromptWrapsWithBosAndSep() {
        assertThat(tokenizer.encodePrompt("ab")).containsExactly(Tokenizer.BOS, 4 + ('a' - 32), 4 + ('b' - 32),
                Tokenizer.SEP);
    }

    @Test
    void unknownCharacterNamesCharacterAndPosition() {
        assertThatThrownBy(() -> tokenizer.encode("ok\nno"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+000A")
                .hasMessageContaining("position 2");
        assertThatThrownBy(() -> tokenizer.encode("caf\u00e9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("U+00E9")
                .hasMessageContaining("position 3");
    }

    @Test
    void decodeRejectsIdsOutsideVocabulary() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {5, 99}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("token id 99 at position 1");
    }

    @Test
    void savesAndLoadsAsJson(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        tokenizer.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertThat(loaded).isEqualTo(tokenizer);
        assertThat(loaded.encode("Round trip!")).containsExactly(tokenizer.encode("Round trip!"));
    }

    @Test
    void wordTokenizerEncodesWordsAndMapsUnknownsToUnk() {
        Tokenizer words = Tokenizer.words(java.util.List.of("sum:", "cat", "dog"));
        assertThat(words.kind()).isEqualTo(Tokenizer.Kind.WORD);
        assertThat(words.vocabSize()).isEqualTo(4 + 1 + 3);
        assertThat(words.encode("  cat   dog\tcat ")).containsExactly(6, 7, 6);
        assertThat(words.encode("cow")).containsExactly(4);
        assertThat(words.encode("   ")).isEmpty();
        assertThat(words.encodePrompt("sum: cat")).containsExactly(Tokenizer.BOS, 5, 6, Tokenizer.SEP);
        assertThat(words.decode(new int[] {6, Tokenizer.PAD, 7, Tokenizer.EOS, 6})).isEqualTo("cat dog");
        assertThat(words.decode(words.encode("dog cat"))).isEqualTo("dog cat");
    }

    @Test
    void wordTokenizerRejectsBadVocabularies() {
        assertThatThrownBy(() -> Tokenizer.words(java.util.List.of())).hasMessageContaining("at least one word");
        assertThatThrownBy(() -> Tokenizer.words(java.util.List.of("a", "a"))).hasMessageContaining("twice");
        assertThatThrownBy(() -> Tokenizer.words(java.util.List.of("a b"))).hasMessageContaining("whitespace");
        assertThatThrownBy(() -> Tokenizer.words(java.util.List.of("x")).characters()).hasMessageContaining("symbols()");
    }

    @Test
    void wordTokenizerSurvivesSaveAndLoad(@TempDir Path dir) throws Exception {
        Tokenizer words = Tokenizer.words(java.util.List.of("list", "3", "b,", "bell"));
        Path file = dir.resolve("tokenizer.json");
        words.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertThat(loaded).isEqualTo(words).isNotEqualTo(Tokenizer.ascii());
        assertThat(loaded.encode("list 3 b, bell")).containsExactly(words.encode("list 3 b, bell"));
        assertThat(java.nio.file.Files.readString(file)).contains("\"type\" : \"word\"").doesNotContain("characters");
    }
}
