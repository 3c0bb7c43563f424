package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.Completion;
import dev.gopo.avro.Reward;
import dev.gopo.schemas.registry.CompatibilityLevel;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.registry.SchemaRegistryException;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.SchemaUnavailableException;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.serde.RecordDecodeException;
import dev.gopo.schemas.serde.RecordDecoder;
import dev.gopo.schemas.serde.WireFormat;
import dev.gopo.testing.TestInfra;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Bad bytes and bad schema changes give clear errors naming topic, partition and offset. */
class BadInputIT {
    private final TestInfra infra = TestInfra.get();
    private final SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());

    @Test
    void badRecordsOnABrokerNameTopicPartitionOffsetAndCause() throws Exception {
        String topic = TestInfra.uniquePrefix("bad") + "completions";
        infra.createTopics(List.of(topic), 1);
        byte[] good = new AvroSerializer<Completion>(registry).serialize(topic, SampleRecords.completion());
        byte[] truncated = Arrays.copyOf(good, good.length - 4);
        byte[] tooShort = {0, 0, 1};
        byte[] wrongMagic = good.clone();
        wrongMagic[0] = 0x7b;
        byte[] unknownId = good.clone();
        ByteBuffer.wrap(unknownId, 1, 4).putInt(987_654);
        List<byte[]> values = List.of(good, truncated, tooShort, wrongMagic, unknownId);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(infra.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
            for (byte[] v : values) {
                producer.send(new ProducerRecord<>(topic, "g-1", v)).get();
            }
        }
        List<ConsumerRecord<String, byte[]>> raw = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(infra.consumerProps(topic + "-r"), new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 30_000;
            while (raw.size() < values.size() && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(raw::add);
            }
        }
        assertThat(raw).hasSize(values.size());
        RecordDecoder<Completion> decoder = new RecordDecoder<>(new AvroDeserializer<>(registry, Completion.class));

        assertThat(decoder.decode(raw.get(0))).isEqualTo(SampleRecords.completion());
        assertDecodeError(decoder, raw.get(1), "truncated or corrupt");
        assertDecodeError(decoder, raw.get(2), "shorter than the 5-byte");
        assertDecodeError(decoder, raw.get(3), "0x7b, not the Confluent wire-format magic byte");
        assertDecodeError(decoder, raw.get(4), "unknown schema id 987654");
    }

    private static void assertDecodeError(RecordDecoder<Completion> decoder, ConsumerRecord<String, byte[]> record, String cause) {
        assertThatThrownBy(() -> decoder.decode(record))
                .isInstanceOf(RecordDecodeException.class)
                .hasMessageContaining(record.topic() + "-0@" + record.offset())
                .hasMessageContaining(cause);
    }

    @Test
    void unreachableRegistrySaysWhereItLooked() {
        SchemaRegistryClient nowhere = new SchemaRegistryClient("http://127.0.0.1:9/apis/ccompat/v7", CompatibilityLevel.BACKWARD, Duration.ofSeconds(2));
        assertThatThrownBy(() -> new AvroSerializer<Reward>(nowhere).serialize("rewards", SampleRecords.reward()))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("schema registry unreachable at http://127.0.0.1:9/apis/ccompat/v7")
                .hasMessageContaining("rewards");
        byte[] bytes = {0, 0, 0, 0, 1, 2};
        // Reading: an unreachable registry is a transient fault, not bad bytes, so it is not a SerializationException
        // (which workers dead-letter) but a SchemaUnavailableException (which they wait out; ADR 0006).
        assertThatThrownBy(() -> new AvroDeserializer<>(nowhere, Reward.class).deserialize("rewards", bytes))
                .isInstanceOf(SchemaUnavailableException.class)
                .isNotInstanceOf(SerializationException.class)
                .hasMessageContaining("schema registry unreachable at http://127.0.0.1:9/apis/ccompat/v7");
    }

    @Test
    void subjectGetsBackwardCompatibilityAndTheRegistryRejectsABreakingChange() {
        String topic = TestInfra.uniquePrefix("compat") + "rewards";
        String subject = WireFormat.valueSubject(topic);
        registry.register(subject, Reward.getClassSchema());
        assertThat(registry.getSubjectCompatibility(subject)).isEqualTo(CompatibilityLevel.BACKWARD);

        // A new required field without a default: readers of the new schema cannot read old data.
        Schema breaking = SchemaBuilder.record("Reward").namespace("dev.gopo.avro").fields()
                .requiredString("groupId").requiredInt("index").requiredDouble("reward")
                .requiredString("producerId").requiredLong("producedAtMs").requiredString("newMandatoryField").endRecord();
        assertThat(registry.isCompatible(subject, breaking)).isFalse();
        assertThatThrownBy(() -> registry.register(subject, breaking))
                .isInstanceOf(SchemaRegistryException.class)
                .satisfies(e -> assertThat(((SchemaRegistryException) e).isIncompatible()).isTrue())
                .hasMessageContaining("HTTP 409")
                .hasMessageContaining(subject);

        // The same change with a default is backward compatible and gets a new id.
        Schema compatible = SchemaBuilder.record("Reward").namespace("dev.gopo.avro").fields()
                .requiredString("groupId").requiredInt("index").requiredDouble("reward")
                .requiredString("producerId").requiredLong("producedAtMs").name("newField").type().stringType().stringDefault("x").endRecord();
        assertThat(registry.register(subject, compatible)).isNotEqualTo(registry.register(subject, Reward.getClassSchema()));
    }
}
