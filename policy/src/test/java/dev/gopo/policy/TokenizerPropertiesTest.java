package dev.gopo.policy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;

import static org.assertj.core.api.Assertions.assertThat;

class TokenizerPropertiesTest {

    private final Tokenizer tokenizer = Tokenizer.ascii();

    @Property(tries = 200)
    void decodeInvertsEncodeForPrintableAscii(@ForAll @CharRange(from = ' ', to = '~') @StringLength(max = 80) String text) {
        int[] ids = tokenizer.encode(text);
        assertThat(ids).hasSize(text.length());
        assertThat(java.util.Arrays.stream(ids)).allMatch(id -> id >= 4 && id < tokenizer.vocabSize());
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Property(tries = 200)
    void promptsAreFramedAndDecodeToTheirText(@ForAll @CharRange(from = ' ', to = '~') @StringLength(max = 40) String text) {
        int[] ids = tokenizer.encodePrompt(text);
        assertThat(ids[0]).isEqualTo(Tokenizer.BOS);
        assertThat(ids[ids.length - 1]).isEqualTo(Tokenizer.SEP);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }
}
