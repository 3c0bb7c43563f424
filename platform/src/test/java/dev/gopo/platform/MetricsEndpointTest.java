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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
    void handlesCountTimeAndReadTotals() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(freePort(), "ranker")) {
            MetricsEndpoint.Count emitted = endpoint.counter("ranker/groups_emitted", "groups out");
            MetricsEndpoint.Count undecodable = endpoint.counter("ranker/dead_letters", "dead letters", "reason", "UNDECODABLE");
            endpoint.counter("ranker/dead_letters", "dead letters", "reason", "GROUP_TIMEOUT");
            MetricsEndpoint.Latency latency = endpoint.timer("ranker/emission_latency", "latency");
            emitted.increment();
            emitted.add(2);
            undecodable.increment();
            latency.record(250, TimeUnit.MILLISECONDS);
            latency.record(750, TimeUnit.MILLISECONDS);
            AtomicLong pausedNanos = new AtomicLong(1_500_000_000L);
            endpoint.cumulative("generator/paused", "seconds", "paused", pausedNanos, n -> n.get() / 1e9);

            String text = scrape(endpoint.port().orElseThrow());
            assertThat(text)
                    .contains("gopo_ranker_groups_emitted_total{worker=\"ranker\"} 3.0")
                    .contains("gopo_ranker_dead_letters_total{reason=\"UNDECODABLE\",worker=\"ranker\"} 1.0")
                    .contains("gopo_ranker_dead_letters_total{reason=\"GROUP_TIMEOUT\",worker=\"ranker\"} 0.0")
                    .contains("gopo_ranker_emission_latency_seconds_count{worker=\"ranker\"} 2")
                    .contains("gopo_ranker_emission_latency_seconds_sum{worker=\"ranker\"} 1.0")
                    .contains("gopo_ranker_emission_latency_seconds_max{worker=\"ranker\"} 0.75")
                    .contains("gopo_ranker_emission_latency_seconds{worker=\"ranker\",quantile=\"0.99\"}")
                    .contains("gopo_generator_paused_seconds_total{worker=\"ranker\"} 1.5");
            pausedNanos.set(2_000_000_000L);
            assertThat(endpoint.scrape()).contains("gopo_generator_paused_seconds_total{worker=\"ranker\"} 2.0");
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
            endpoint.counter("x", "x").increment();
            endpoint.timer("y", "y").record(1, TimeUnit.SECONDS);
            endpoint.cumulative("z", "seconds", "z", new AtomicLong(), AtomicLong::get);
            endpoint.bindKafka((KafkaConsumer<String, String>) null).close();
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
