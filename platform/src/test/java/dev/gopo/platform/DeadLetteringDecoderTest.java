package dev.gopo.platform;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;

class DeadLetteringDecoderTest {
    record Rejected(ConsumerRecord<String, byte[]> record, DeadLetterReason reason, String detail) {
    }

    /** Accepts values that start with "v:", refuses the rest as the Avro deserializer refuses foreign bytes. */
    private static final Deserializer<String> STRICT = (topic, bytes) -> {
        String text = new String(bytes, UTF_8);
        if (!text.startsWith("v:")) {
            throw new SerializationException("unknown magic byte");
        }
        return text.substring(2);
    };

    private final List<Rejected> rejected = new ArrayList<>();
    private final DeadLetteringDecoder<String> decoder =
            new DeadLetteringDecoder<>(STRICT, (record, reason, detail) -> rejected.add(new Rejected(record, reason, detail)));

    private static ConsumerRecord<String, byte[]> record(long offset, String value) {
        return new ConsumerRecord<>("gopo.prompts", 3, offset, "k" + offset, value == null ? null : value.getBytes(UTF_8));
    }

    @Test
    void decodableRecordIsReturnedAndNotDeadLettered() {
        assertThat(decoder.decode(record(7, "v:hello"))).contains("hello");
        assertThat(rejected).isEmpty();
    }

    @Test
    void undecodableRecordIsDeadLetteredWithItsCoordinates() {
        ConsumerRecord<String, byte[]> bad = record(8, "garbage");

        assertThat(decoder.decode(bad)).isEmpty();

        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.record()).isSameAs(bad);
            assertThat(r.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(r.detail()).isEqualTo("cannot decode record gopo.prompts-3@8: unknown magic byte");
        });
    }

    @Test
    void tombstoneIsDeadLettered() {
        assertThat(decoder.decode(record(9, null))).isEmpty();

        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(r.detail()).contains("gopo.prompts-3@9").contains("tombstone");
        });
    }

    @Test
    void aFailureOtherThanBadBytesIsNotHiddenAsADeadLetter() {
        DeadLetteringDecoder<String> broken = new DeadLetteringDecoder<>((topic, bytes) -> {
            throw new IllegalStateException("registry client closed");
        }, (record, reason, detail) -> rejected.add(new Rejected(record, reason, detail)));

        assertThatThrownBy(() -> broken.decode(record(10, "v:x"))).hasMessage("registry client closed");
        assertThat(rejected).isEmpty();
    }
}
