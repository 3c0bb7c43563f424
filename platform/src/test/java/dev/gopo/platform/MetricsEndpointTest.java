package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MetricsEndpointTest {

    private static String scrape(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void servesTheLatestStepValuesAndCountersAtMetrics() throws Exception {
        try (MetricsEndpoint endpoint = new MetricsOptions(freePort()).start("learner")) {
            int port = endpoint.port().orElseThrow();
            Map<String, Double> step1 = new LinkedHashMap<>();
            step1.put("loss/policy", 0.25);
            step1.put("ratio/clip_fraction", 0.125);
            step1.put("lag/hist/3", 7.0);
            step1.put("loss/total", 1.5);
            endpoint.latest(step1);
            endpoint.latest(Map.of("loss/policy", -0.5, "ratio/clip_fraction", 0.0625));
            endpoint.count("dead_letters", 2, "reason", "STALE_POLICY");
            endpoint.count("dead_letters", 1, "reason", "STALE_POLICY");

            String text = scrape(port);
            assertThat(text)
                    .contains("gopo_loss_policy{worker=\"learner\"} -0.5")
                    .contains("gopo_ratio_clip_fraction{worker=\"learner\"} 0.0625")
                    .contains("gopo_dead_letters_total{reason=\"STALE_POLICY\",worker=\"learner\"} 3.0")
                    .contains(MetricsEndpoint.prometheusName("loss/total") + "{worker=\"learner\"} 1.5")
                    .doesNotContain("hist");
            assertThat(MetricsEndpoint.prometheusName("loss/total")).isEqualTo("gopo_loss");
            assertThat(MetricsEndpoint.prometheusName("ratio/clip_fraction")).isEqualTo("gopo_ratio_clip_fraction");
        }
    }

    @Test
    void bindsKafkaClientMetrics() throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "localhost:1");
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(freePort(), "learner");
             KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer());
             AutoCloseable bound = endpoint.bindKafka(consumer)) {
            assertThat(scrape(endpoint.port().orElseThrow())).contains("kafka_consumer_");
        }
    }

    @Test
    void portZeroStartsNothing() throws Exception {
        MetricsOptions options = new MetricsOptions();
        new CommandLine(options).parseArgs();
        assertThat(options.port).isZero();
        try (MetricsEndpoint endpoint = options.start("learner")) {
            assertThat(endpoint.isOn()).isFalse();
            assertThat(endpoint.port()).isEmpty();
            endpoint.latest(Map.of("loss/policy", 1.0));
            endpoint.count("x", 1);
            assertThat(endpoint.scrape()).isEmpty();
        }
    }

    @Test
    void closingStopsServing() throws Exception {
        int port;
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(freePort(), "ranker")) {
            port = endpoint.port().orElseThrow();
        }
        assertThatThrownBy(() -> scrape(port)).isInstanceOf(ConnectException.class);
    }

    @Test
    void refusesABadPort() {
        assertThatThrownBy(() -> MetricsEndpoint.start(70000, "x")).hasMessageContaining("--metrics-port");
        MetricsOptions options = new MetricsOptions();
        new CommandLine(options).parseArgs("--metrics-port", "9404");
        assertThat(options.port).isEqualTo(9404);
    }
}
