package dev.gopo.policy.training;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Denominators by hand: a batch of G = 2 completions with 3 and 2 tokens (5 real tokens). */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class LossNormaliserTest {

    @Test
    void tokenMeanDividesByTheRealTokens() {
        assertThat(LossNormaliser.tokenMean().denominator(5, 2)).isEqualTo(5.0);
        assertThat(LossNormaliser.tokenMean().mode()).isEqualTo(LossNormaliser.Mode.TOKEN_MEAN);
        assertThat(LossNormaliser.tokenMean()).isEqualTo(new LossNormaliser(LossNormaliser.Mode.TOKEN_MEAN, 0));
    }

    @Test
    void constantDividesByTheBudgetTimesTheCompletions() {
        // Dr. GRPO: 8-token budget, 2 completions -> 16, whatever their lengths
        assertThat(LossNormaliser.constant(8).denominator(5, 2)).isEqualTo(16.0);
        assertThat(LossNormaliser.constant(8).denominator(16, 2)).isEqualTo(16.0);
        assertThat(LossNormaliser.constant(128).denominator(300, 32)).isEqualTo(4096.0);
        assertThat(LossNormaliser.constant(8).maxCompletionTokens()).isEqualTo(8);
    }

    @Test
    void completionsLongerThanTheBudgetAreRejected() {
        assertThatCode(() -> LossNormaliser.constant(8).requireFits(8, 0)).doesNotThrowAnyException();
        assertThatThrownBy(() -> LossNormaliser.constant(8).requireFits(9, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("completion 3 has 9 tokens, more than maxCompletionTokens 8")
                .hasMessageContaining("maxNewTokens");
        assertThatCode(() -> LossNormaliser.tokenMean().requireFits(10_000, 0)).doesNotThrowAnyException();
    }

    @Test
    void invalidSettingsSayHowToFix() {
        assertThatThrownBy(() -> LossNormaliser.constant(0)).hasMessageContaining("maxCompletionTokens must be >= 1");
        assertThatThrownBy(() -> new LossNormaliser(LossNormaliser.Mode.TOKEN_MEAN, 8)).hasMessageContaining("tokenMean()");
        assertThatThrownBy(() -> new LossNormaliser(null, 8)).hasMessageContaining("mode is null");
        assertThatThrownBy(() -> LossNormaliser.tokenMean().denominator(0, 2)).hasMessageContaining("at least one");
    }
}
