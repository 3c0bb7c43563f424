package dev.gopo.tasks.reward;

import dev.gopo.policy.model.NumberArithmeticScanner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code (Number)} arithmetic on NDArrays ({@code x.mul(2f)}, {@code x.div(n)},
 * {@code x.maximum(1f)} ...) out of the whole tasks module (reward model, supervised warm start,
 * everything else): under autograd its scalar can be freed before backward reads it. Use
 * {@code dev.gopo.policy.model.Scalars} instead (policy README, "Scalars and autograd").
 * No class is exempt.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScalarArithmeticGuardTest {

    @Test
    void mainCodeHasNoNumberArithmeticOnArrays() throws Exception {
        Path classes = Path.of(RewardNetwork.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertThat(NumberArithmeticScanner.scan(classes))
                .as("(Number) arithmetic on NDArrays in %s: use dev.gopo.policy.model.Scalars", classes)
                .isEmpty();
    }
}
