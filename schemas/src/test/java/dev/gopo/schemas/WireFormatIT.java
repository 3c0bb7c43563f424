package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gopo.avro.Completion;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.serde.WireFormat;
import dev.gopo.testing.TestInfra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import dev.gopo.schemas.registry.CompatibilityLevel;
import dev.gopo.schemas.serde.AvroDeserializer;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Golden test of the Confluent wire format, checked against the registry with plain HTTP and plain Avro. */
class WireFormatIT {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void bytesAreMagicByteRegistryIdAndPlainAvro() throws Exception {
        TestInfra infra = TestInfra.get();
        String topic = TestInfra.uniquePrefix("wire") + "completions";
        Completion completion = SampleRecords.completion();

        byte[] bytes = new AvroSerializer<Completion>(new SchemaRegistryClient(infra.registryUrl())).serialize(topic, completion);

        HttpClient http = HttpClient.newHttpClient();
        JsonNode latest = get(http, infra.registryUrl() + "/subjects/" + WireFormat.valueSubject(topic) + "/versions/latest");
        int registryId = latest.path("id").asInt();
        assertThat(bytes[0]).isEqualTo((byte) 0x00);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(registryId);

        JsonNode byId = get(http, infra.registryUrl() + "/schemas/ids/" + registryId);
        Schema writer = new Schema.Parser().parse(byId.path("schema").asText());
        GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null,
                DecoderFactory.get().binaryDecoder(Arrays.copyOfRange(bytes, 5, bytes.length), null));
        assertThat(decoded.get("groupId").toString()).isEqualTo("g-1");
        assertThat(decoded.get("index")).isEqualTo(3);
        assertThat(decoded.get("policyVersion")).isEqualTo(7L);
        assertThat(decoded.get("reward")).isEqualTo(0.75);
        assertThat(decoded.get("behaviourLogProbs").toString()).isEqualTo("[-0.5, -1.25, -0.125]");
    }

    /**
     * A completion written with the first published schema (no policyStep, no temperature) by an old
     * generator is read by the current deserializer with the documented defaults, and the registry,
     * at BACKWARD, accepts the current schema on a subject that holds the old one.
     */
    @Test
    @Timeout(60)
    void completionsOfTheFirstSchemaReadWithTheNewFieldsDefaults() throws Exception {
        TestInfra infra = TestInfra.get();
        String topic = TestInfra.uniquePrefix("wire-v1") + "completions";
        String subject = WireFormat.valueSubject(topic);
        SchemaRegistryClient registry = new SchemaRegistryClient(infra.registryUrl());
        Schema v1;
        try (var in = WireFormatIT.class.getResourceAsStream("/schema-history/Completion/v1.avsc")) {
            v1 = new Schema.Parser().parse(in);
        }
        assertThat(v1.getField("policyStep")).isNull();
        int v1Id = registry.register(subject, v1);
        registry.setCompatibility(subject, CompatibilityLevel.BACKWARD);

        GenericRecord old = new GenericData.Record(v1);
        old.put("groupId", "g-old");
        old.put("promptId", "p-old");
        old.put("task", "summarise");
        old.put("index", 1);
        old.put("groupSize", 2);
        old.put("promptTokenIds", List.of(1, 40));
        old.put("tokenIds", List.of(50, 2));
        old.put("behaviourLogProbs", List.of(-0.5f, -0.25f));
        old.put("policyVersion", 4L);
        old.put("generatorId", "gen-old");
        old.put("sampledAtMs", 5L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(ByteBuffer.allocate(4).putInt(v1Id).array());
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(v1).write(old, encoder);
        encoder.flush();

        Completion read = new AvroDeserializer<>(registry, Completion.class).deserialize(topic, out.toByteArray());
        assertThat(read.getGroupId()).isEqualTo("g-old");
        assertThat(read.getPolicyVersion()).isEqualTo(4L);
        assertThat(read.getPolicyStep()).isZero();
        assertThat(read.getTemperature()).isEqualTo(1.0);

        // The current schema registers on top of v1 (backward compatible) under a new id.
        byte[] current = new AvroSerializer<Completion>(registry).serialize(topic, SampleRecords.completion());
        assertThat(ByteBuffer.wrap(current, 1, 4).getInt()).isNotEqualTo(v1Id);
        Completion roundTrip = new AvroDeserializer<>(registry, Completion.class).deserialize(topic, current);
        assertThat(roundTrip.getPolicyStep()).isEqualTo(35L);
        assertThat(roundTrip.getTemperature()).isEqualTo(0.7);
    }

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + " -> " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
