package dev.gopo.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class WireFormatTest {
    @Test
    void readsBigEndianIdAfterMagicByte() {
        assertThat(WireFormat.readSchemaId("t", new byte[] {0, 0x01, 0x02, 0x03, 0x04, 9})).isEqualTo(0x01020304);
    }

    @Test
    void rejectsShortAndWrongMagicWithTopicInMessage() {
        assertThatThrownBy(() -> WireFormat.readSchemaId("gopo.rewards", new byte[] {0, 1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("gopo.rewards").hasMessageContaining("2 bytes long");
        assertThatThrownBy(() -> WireFormat.readSchemaId("gopo.rewards", new byte[] {1, 0, 0, 0, 1, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("0x01");
    }

    @Test
    void topicNameSubjectStrategy() {
        assertThat(WireFormat.valueSubject("gopo.completions")).isEqualTo("gopo.completions-value");
        assertThat(WireFormat.keySubject("gopo.completions")).isEqualTo("gopo.completions-key");
    }
}
