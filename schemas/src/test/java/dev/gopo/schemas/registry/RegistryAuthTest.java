package dev.gopo.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The registry client's basic auth against a real (tiny, JDK) HTTP server that records each request's
 * Authorization header and answers 401 unless it is the expected one.
 */
class RegistryAuthTest {
    private static final String GOOD = "Basic " + Base64.getEncoder().encodeToString("sr-user:sr-secret".getBytes(StandardCharsets.UTF_8));
    private static final String SCHEMA = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}";

    private HttpServer server;
    private final List<String> authHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            authHeaders.add(String.valueOf(auth));
            boolean ok = GOOD.equals(auth);
            byte[] body = (ok ? "{\"schema\":" + quote(SCHEMA) + "}" : "{\"error_code\":401,\"message\":\"Unauthorized\"}")
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\"", "\\\"") + "\"";
    }

    private SchemaRegistryClient client(Map<String, String> props, String baseUrl) {
        return new SchemaRegistryClient(baseUrl, CompatibilityLevel.BACKWARD, Duration.ofSeconds(5),
                RegistryClientSettings.fromProperties(props, baseUrl, "--registry-config /etc/gopo/registry.properties"));
    }

    @Test
    void sendsBasicAuthFromUserInfo() {
        SchemaRegistryClient client = client(Map.of("basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "sr-user:sr-secret"), url);
        Schema schema = client.getById(7);
        assertThat(schema.getName()).isEqualTo("R");
        assertThat(authHeaders).containsExactly(GOOD);
    }

    @Test
    void sendsBasicAuthFromTheUrlAndNeverShowsIt() {
        String withCredentials = url.replace("http://", "http://sr-user:sr-secret@");
        SchemaRegistryClient client = client(Map.of("basic.auth.credentials.source", "URL"), withCredentials);
        client.getById(8);
        assertThat(authHeaders).containsExactly(GOOD);
        assertThat(client.baseUrl()).isEqualTo(url).doesNotContain("sr-secret");
    }

    @Test
    void inheritsTheSaslCredentials() {
        SchemaRegistryClient client = client(Map.of("basic.auth.credentials.source", "SASL_INHERIT", "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"sr-user\" password=\"sr-secret\";"), url);
        client.getById(9);
        assertThat(authHeaders).containsExactly(GOOD);
    }

    @Test
    void wrongCredentialsAreOneClearErrorNotARetryLoop() {
        SchemaRegistryClient client = client(Map.of("basic.auth.user.info", "sr-user:wrong-secret"), url);
        assertThatThrownBy(() -> client.getById(10))
                .isInstanceOfSatisfying(SchemaRegistryException.class, e -> {
                    assertThat(e.isAuthenticationFailure()).isTrue();
                    assertThat(e.isUnreachable()).isFalse();
                    assertThat(e.httpStatus()).isEqualTo(401);
                })
                .hasMessageContaining("schema registry at " + url)
                .hasMessageContaining("HTTP 401")
                .hasMessageContaining("basic.auth.user.info in --registry-config /etc/gopo/registry.properties")
                .message().doesNotContain("wrong-secret");
        assertThat(requests).hasValue(1);
    }

    @Test
    void noCredentialsSendNoHeader() {
        SchemaRegistryClient client = new SchemaRegistryClient(url);
        assertThatThrownBy(() -> client.getById(11)).hasMessageContaining("credentials from none");
        assertThat(authHeaders).containsExactly("null");
    }

    @Test
    void badSettingsFailAtStartUpWithAFixAndNoSecret() {
        assertThatThrownBy(() -> RegistryClientSettings.fromProperties(Map.of("basic.auth.credentials.source", "USER_INFO"), url, "FILE"))
                .hasMessageContaining("needs basic.auth.user.info=user:password");
        assertThatThrownBy(() -> RegistryClientSettings.fromProperties(Map.of("basic.auth.user.info", "no-colon-secret"), url, "FILE"))
                .hasMessageContaining("user:password").message().doesNotContain("no-colon-secret");
        assertThatThrownBy(() -> RegistryClientSettings.fromProperties(Map.of("basic.auth.credentials.source", "BEARER"), url, "FILE"))
                .hasMessageContaining("not supported");
        assertThatThrownBy(() -> RegistryClientSettings.fromProperties(Map.of("schema.registry.ssl.truststore.location", "/no/such.jks",
                        "schema.registry.ssl.truststore.password", "ts-secret"), url, "FILE"))
                .hasMessageContaining("schema.registry.ssl.truststore.location /no/such.jks").message().doesNotContain("ts-secret");
        RegistryClientSettings settings = RegistryClientSettings.fromProperties(Map.of("basic.auth.user.info", "sr-user:sr-secret"), url, "FILE");
        assertThat(settings.toString()).contains("basic.auth.user.info in FILE").doesNotContain("sr-secret");
    }
}
