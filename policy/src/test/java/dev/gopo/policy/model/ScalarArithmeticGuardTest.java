package dev.gopo.policy.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code (Number)} arithmetic on NDArrays ({@code x.mul(2f)}, {@code x.div(n)},
 * {@code x.muli(scale)} ...) out of this module: under autograd its scalar can be freed before
 * backward reads it (see {@link Scalars} and the README, "Scalars and autograd"). Use
 * {@link Scalars} instead. A failure lists the class and the DJL method it calls. No class is
 * exempt: inference code (the sampler) uses {@link Scalars} too, so the rule has no exceptions to
 * keep track of when code moves between inference and training.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScalarArithmeticGuardTest {

    @Test
    void mainCodeHasNoNumberArithmeticOnArrays() throws Exception {
        Path classes = Path.of(Scalars.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> offenders = NumberArithmeticScanner.scan(classes);
        assertThat(offenders)
                .as("(Number) arithmetic on NDArrays in %s: use dev.gopo.policy.model.Scalars (policy README, "
                        + "\"Scalars and autograd\")", classes)
                .isEmpty();
    }

    /** Fixture for the scanner: what it must find and what it must leave alone. */
    @SuppressWarnings("unused")
    static final class Fixture {
        static NDArray literal(NDArray x) {
            return x.mul(2f);
        }

        static NDArray variableInPlace(NDArray x, float scale) {
            return x.divi(scale);
        }

        static NDArray bound(NDArray x) {
            return x.maximum(1);
        }

        static NDArray safe(NDArray x, NDManager step, List<Integer> list) {
            list.add(1);
            return x.mul(Scalars.of(step, 2f)).gt(0.5f);
        }
    }

    @Test
    void scannerFindsLiteralsVariablesAndInPlaceFormsButNotSafeCode() throws Exception {
        try (InputStream in = Fixture.class.getResourceAsStream("ScalarArithmeticGuardTest$Fixture.class")) {
            assertThat(NumberArithmeticScanner.numberArithmeticReferences(in)).containsExactlyInAnyOrder(
                    "ai/djl/ndarray/NDArray.mul(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;",
                    "ai/djl/ndarray/NDArray.divi(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;",
                    "ai/djl/ndarray/NDArray.maximum(Ljava/lang/Number;)Lai/djl/ndarray/NDArray;");
        }
    }
}
