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
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

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

    private static JsonNode get(HttpClient http, String url) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + url + " -> " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
