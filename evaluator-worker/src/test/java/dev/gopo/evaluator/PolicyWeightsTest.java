package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.PolicyModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyWeightsTest {
    @TempDir
    Path tmp;

    @Test
    void acceptsAnnouncedWeightsAndLoadsThem() throws Exception {
        Path dir = tmp.resolve("v1");
        String sha = EvalFixtures.tinyPolicy(dir, 1);
        PolicyVersion announced = EvalFixtures.announcement(1, dir, sha.toUpperCase());
        assertThat(PolicyWeights.verify(announced)).isEqualTo(dir.toAbsolutePath());
        try (PolicyModel model = PolicyWeights.load(announced, dir)) {
            assertThat(model.contentHash()).isEqualTo(sha);
        }
    }

    @Test
    void missingWeightsAreWeightsMissing() {
        PolicyVersion announced = EvalFixtures.announcement(2, tmp.resolve("nowhere"), "00");
        WeightsRejectedException e = catchThrowableOfType(WeightsRejectedException.class, () -> PolicyWeights.verify(announced));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.WEIGHTS_MISSING);
        assertThat(e.getMessage()).contains("does not exist").contains("shared volume");
    }

    @Test
    void aChangedFileIsAHashMismatch() throws Exception {
        Path dir = tmp.resolve("v3");
        String sha = EvalFixtures.tinyPolicy(dir, 3);
        Files.write(dir.resolve(PolicyModel.WEIGHTS_FILE), new byte[] {1, 2, 3});
        WeightsRejectedException e = catchThrowableOfType(WeightsRejectedException.class,
                () -> PolicyWeights.verify(EvalFixtures.announcement(3, dir, sha)));
        assertThat(e.reason()).isEqualTo(DeadLetterReason.WEIGHTS_HASH_MISMATCH);
        assertThat(e.getMessage()).contains(sha);
    }

    @Test
    void onlyFileUrisAreAccepted() {
        PolicyVersion http = PolicyVersion.newBuilder(EvalFixtures.announcement(4, tmp, "00")).setWeightsUri("http://host/v4").build();
        PolicyVersion garbage = PolicyVersion.newBuilder(http).setWeightsUri("file://a b").build();
        assertThat(catchThrowableOfType(WeightsRejectedException.class, () -> PolicyWeights.verify(http)))
                .hasMessageContaining("only file://").extracting(WeightsRejectedException::reason).isEqualTo(DeadLetterReason.WEIGHTS_MISSING);
        assertThat(catchThrowableOfType(WeightsRejectedException.class, () -> PolicyWeights.verify(garbage)).reason())
                .isEqualTo(DeadLetterReason.WEIGHTS_MISSING);
    }
}
