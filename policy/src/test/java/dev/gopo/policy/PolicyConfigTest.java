package dev.gopo.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyConfigTest {

    @Test
    void presetsHaveTheAdvertisedSizes() {
        assertThat(PolicyConfig.tiny().maxSeqLen()).isEqualTo(96);
        assertThat(PolicyConfig.tiny().vocabSize()).isEqualTo(Tokenizer.ascii().vocabSize());
        assertThat(PolicyConfig.small().maxSeqLen()).isEqualTo(128);
        assertThat(PolicyConfig.small().parameterCount()).isBetween(850_000L, 950_000L);
    }

    @Test
    void parameterCountMatchesTheCreatedWeights() {
        try (PolicyModel model = TestModels.tinyModel()) {
            long actual = model.weights().asMap().values().stream().mapToLong(a -> a.getShape().size()).sum();
            assertThat(actual).isEqualTo(model.parameterCount());
        }
    }

    @Test
    void rejectsHeadsThatDoNotDivideTheWidth() {
        assertThatThrownBy(() -> new PolicyConfig(99, 30, 4, 2, 64, 64, true, 1, "cpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dModel (30) must be a multiple of nHeads (4)");
    }

    @Test
    void rejectsNonPositiveSizesAndUnknownDevices() {
        assertThatThrownBy(() -> new PolicyConfig(99, 32, 2, 0, 64, 64, true, 1, "cpu"))
                .hasMessageContaining("nLayers = 0");
        assertThatThrownBy(() -> new PolicyConfig(99, 32, 2, 2, 64, 1, true, 1, "cpu"))
                .hasMessageContaining("maxSeqLen = 1");
        assertThatThrownBy(() -> new PolicyConfig(99, 32, 2, 2, 64, 64, true, 1, "tpu"))
                .hasMessageContaining("use auto, cpu or gpu");
    }

    @Test
    void savesAndLoadsAsJson(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        PolicyConfig config = PolicyConfig.small().withSeed(7).withDevice("cpu");
        config.save(file);
        assertThat(Files.readString(file)).contains("\"dModel\" : 128");
        assertThat(PolicyConfig.load(file)).isEqualTo(config);
    }

    @Test
    void loadingAnInvalidConfigSaysWhatIsWrong(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"vocabSize\":99,\"dModel\":30,\"nHeads\":4,\"nLayers\":2,\"dMlp\":64,"
                + "\"maxSeqLen\":64,\"tiedHead\":true,\"seed\":1,\"device\":\"cpu\"}");
        assertThatThrownBy(() -> PolicyConfig.load(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("must be a multiple of nHeads");
    }
}
