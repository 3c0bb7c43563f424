package dev.gopo.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D3 of issue 10, the registry half of {@code gopo infra --keep-data}: restarted on the same directory and port, the
 * registry still serves the schema ids the kept records carry (before, it kept schemas in memory only, so every kept
 * record's id was unknown after a restart and would have been dead-lettered as undecodable).
 */
class EmbeddedInfraRestartIT {
    private static final String SCHEMA = "{\"schema\":\"{\\\"type\\\":\\\"record\\\",\\\"name\\\":\\\"Kept\\\",\\\"fields\\\":[{\\\"name\\\":\\\"a\\\",\\\"type\\\":\\\"int\\\"}]}\",\"schemaType\":\"AVRO\"}";

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void keptDataRestartsAtTheSameAddressesWithTheSameSchemas() throws Exception {
        int brokerPort = freePort();
        int registryPort = freePort();
        HttpClient http = HttpClient.newHttpClient();
        String body;
        String bootstrap;
        String url;
        try (EmbeddedInfra infra = EmbeddedInfra.start(tmp, 1, false, brokerPort, registryPort)) {
            bootstrap = infra.bootstrapServers();
            url = infra.registryUrl();
            HttpResponse<String> registered = http.send(HttpRequest.newBuilder(URI.create(url + "/subjects/kept-value/versions"))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .POST(HttpRequest.BodyPublishers.ofString(SCHEMA)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(registered.statusCode()).isEqualTo(200);
            body = registered.body();
        }
        String id = body.replaceAll("\\D", "");
        try (EmbeddedInfra again = EmbeddedInfra.start(tmp, 1, true, brokerPort, registryPort)) {
            assertThat(again.bootstrapServers()).isEqualTo(bootstrap);
            assertThat(again.registryUrl()).isEqualTo(url);
            HttpResponse<String> fetched = http.send(HttpRequest.newBuilder(URI.create(url + "/schemas/ids/" + id)).timeout(Duration.ofSeconds(10))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(fetched.statusCode()).as("schema id " + id + " after the restart: " + fetched.body()).isEqualTo(200);
            assertThat(fetched.body()).contains("Kept");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
