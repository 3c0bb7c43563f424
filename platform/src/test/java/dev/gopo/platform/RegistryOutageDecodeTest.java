package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.Prompt;
import dev.gopo.schemas.registry.CompatibilityLevel;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.registry.SchemaRegistryException;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * D2 of issue 10, at the decoder: a writer schema that cannot be fetched because the registry is unreachable (or 5xx)
 * is a transient fault, not bad input. The real Avro deserializer is driven by a registry whose answers are scripted
 * exactly as {@code SchemaRegistryClient} reports them (status -1 for a refused connection, the HTTP status otherwise).
 * Before the fix the record was dead-lettered as UNDECODABLE at the first refused connection. The same path against a
 * real registry that is stopped and restarted: {@code RewardProducerRegistryOutageIT}.
 */
@Timeout(30)
class RegistryOutageDecodeTest {
    record Rejected(DeadLetterReason reason, String detail) {
    }

    private final List<Rejected> rejected = new ArrayList<>();

    /** A registry that knows the Prompt schema as id 7 and fails the first {@code failures} fetches with {@code status}. */
    private static final class FlakyRegistry implements SchemaRegistry {
        final AtomicInteger fetches = new AtomicInteger();
        final int failures;
        final int status;

        FlakyRegistry(int failures, int status) {
            this.failures = failures;
            this.status = status;
        }

        @Override
        public String baseUrl() {
            return "http://127.0.0.1:1/apis/ccompat/v7";
        }

        @Override
        public int register(String subject, Schema schema) {
            return 7;
        }

        @Override
        public Schema getById(int id) {
            if (fetches.incrementAndGet() <= failures) {
                if (status == -1) {
                    throw new SchemaRegistryException("schema registry unreachable at " + baseUrl() + " (could not fetch schema id "
                            + id + "): java.net.ConnectException", -1, -1, new ConnectException("Connection refused"));
                }
                throw new SchemaRegistryException("schema registry at " + baseUrl() + " refused to fetch schema id " + id + ": HTTP "
                        + status, status, status == 404 ? 40403 : -1, null);
            }
            return Prompt.getClassSchema();
        }

        @Override
        public Schema getLatest(String subject) {
            return Prompt.getClassSchema();
        }

        @Override
        public void setCompatibility(String subject, CompatibilityLevel level) {
        }

        @Override
        public CompatibilityLevel getSubjectCompatibility(String subject) {
            return null;
        }

        @Override
        public boolean isCompatible(String subject, Schema schema) {
            return true;
        }
    }

    private static ConsumerRecord<String, byte[]> promptRecord() {
        Prompt prompt = Prompt.newBuilder().setPromptId("p1").setTask("summarise").setSplit("train").setText("sum: a b").setCreatedAtMs(1).build();
        byte[] bytes = new AvroSerializer<Prompt>(new FlakyRegistry(0, 0)).serialize("gopo.prompts", prompt);
        return new ConsumerRecord<>("gopo.prompts", 0, 42, "p1", bytes);
    }

    private DeadLetteringDecoder<Prompt> decoder(FlakyRegistry registry, Duration timeout) {
        return new DeadLetteringDecoder<>(new AvroDeserializer<>(registry, Prompt.class),
                (record, reason, detail) -> rejected.add(new Rejected(reason, detail)), timeout);
    }

    @Test
    void anUnreachableRegistryIsWaitedForAndTheRecordDecodedWhenItIsBack() {
        FlakyRegistry registry = new FlakyRegistry(3, -1);
        DeadLetteringDecoder<Prompt> decoder = new DeadLetteringDecoder<>(new AvroDeserializer<>(registry, Prompt.class),
                (record, reason, detail) -> rejected.add(new Rejected(reason, detail)));   // default --registry-timeout
        assertThat(decoder.decode(promptRecord())).hasValueSatisfying(p -> assertThat(p.getPromptId()).isEqualTo("p1"));
        assertThat(rejected).as("never dead-lettered for the registry's fault").isEmpty();
        assertThat(registry.fetches.get()).isEqualTo(4);
    }

    @Test
    void aRegistryAnswering5xxIsWaitedForToo() {
        FlakyRegistry registry = new FlakyRegistry(2, 503);
        assertThat(new DeadLetteringDecoder<>(new AvroDeserializer<>(registry, Prompt.class),
                (record, reason, detail) -> rejected.add(new Rejected(reason, detail))).decode(promptRecord())).isPresent();
        assertThat(rejected).isEmpty();
    }

    @Test
    void aRegistryAwayLongerThanTheTimeoutStopsTheWorkerWithoutDeadLettering() {
        FlakyRegistry registry = new FlakyRegistry(Integer.MAX_VALUE, -1);
        assertThatThrownBy(() -> decoder(registry, Duration.ofSeconds(1)).decode(promptRecord()))
                .isInstanceOf(DeadLetteringDecoder.RegistryUnavailableException.class)
                .hasMessageContaining("schema registry unreachable since")
                .hasMessageContaining("stopping without committing past record gopo.prompts-0@42");
        assertThat(rejected).isEmpty();
    }

    @Test
    void aStopRequestEndsTheWait() {
        FlakyRegistry registry = new FlakyRegistry(Integer.MAX_VALUE, -1);
        DeadLetteringDecoder<Prompt> decoder = decoder(registry, Duration.ZERO).stopWaitingWhen(() -> registry.fetches.get() >= 2);
        assertThatThrownBy(() -> decoder.decode(promptRecord()))
                .isInstanceOf(DeadLetteringDecoder.RegistryUnavailableException.class).hasMessageContaining("asked to stop");
        assertThat(rejected).isEmpty();
    }

    @Test
    void anUnknownSchemaIdIsBadInputAndDeadLettered() throws IOException {
        FlakyRegistry registry = new FlakyRegistry(1, 404);
        assertThat(decoder(registry, Duration.ofSeconds(20)).decode(promptRecord())).isEmpty();
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(DeadLetterReason.UNDECODABLE);
            assertThat(r.detail()).contains("unknown schema id 7");
        });
    }

    @Test
    void aRegistryThatRefusesForGoodStopsTheWorkerWithoutDeadLettering() {
        FlakyRegistry registry = new FlakyRegistry(1, 401);
        assertThatThrownBy(() -> decoder(registry, Duration.ofSeconds(20)).decode(promptRecord()))
                .isInstanceOf(DeadLetteringDecoder.RegistryUnavailableException.class).hasMessageContaining("credentials");
        assertThat(rejected).isEmpty();
    }
}
