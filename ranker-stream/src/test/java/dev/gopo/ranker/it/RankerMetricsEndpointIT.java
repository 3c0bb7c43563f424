package dev.gopo.ranker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.ranker.topology.RankerMetrics;
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the Prometheus endpoint of a running ranker ({@code --metrics-port}) over HTTP, on the real broker + registry. */
@Timeout(240)
class RankerMetricsEndpointIT {
    private static final int GROUPS = 30;
    private static final int G = 4;

    @TempDir
    Path stateDir;

    /** Scrapes until {@code done} holds (or 90 s passed) and returns the last text. */
    private static String scrapeUntil(int port, Predicate<String> done) throws Exception {
        return PrometheusScrape.scrapeUntil(port, done, Duration.ofSeconds(90));
    }

    /** The value of the series {@code name{labels}} ({@code labels} as Prometheus prints them, sorted), or NaN when absent. */
    private static double value(String text, String name, String labels) {
        return PrometheusScrape.value(text, name + "{" + labels + "}");
    }

    @Test
    void aRunningRankerServesGroupsLatencyAndDeadLettersByReasonAndItsStreamsClientMetrics() throws Exception {
        try (PipelineFixture fixture = new PipelineFixture("ranker-metrics", 2);
             MetricsEndpoint endpoint = MetricsEndpoint.start(PrometheusScrape.freePort(), "ranker")) {
            int port = endpoint.port().orElseThrow();
            RankerConfig config = fixture.config().stateDir(stateDir).build();
            try (RankerWorker worker = RankerWorker.start(config, endpoint)) {
                assertThat(worker.awaitRunning(Duration.ofSeconds(60))).as("ranker RUNNING").isTrue();
                for (int n = 0; n < GROUPS; n++) {
                    fixture.sendGroup("group-" + n, G, n % 2 == 0);
                }
                fixture.flush();
                try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(fixture.infra.producerProps(), new StringSerializer(), new ByteArraySerializer())) {
                    raw.send(new ProducerRecord<>(fixture.cluster.topicNames().completions(), "junk", new byte[] {0, 0, 0})).get();
                }
                assertThat(fixture.readAdvantages(GROUPS, Duration.ofSeconds(60), Duration.ofSeconds(1))).hasSize(GROUPS);

                String emitted = "gopo_ranker_groups_emitted_total";
                String deadLetters = "gopo_ranker_dead_letters_total";
                String text = scrapeUntil(port, t -> value(t, emitted, "worker=\"ranker\"") >= GROUPS
                        && value(t, deadLetters, "reason=\"UNDECODABLE\",worker=\"ranker\"") >= 1);

                assertThat(value(text, emitted, "worker=\"ranker\"")).as(emitted + " in\n" + text).isEqualTo(GROUPS);
                assertThat(value(text, "gopo_ranker_groups_partial_total", "worker=\"ranker\"")).isZero();
                assertThat(value(text, deadLetters, "reason=\"UNDECODABLE\",worker=\"ranker\"")).as("the junk record").isEqualTo(1);
                assertThat(value(text, deadLetters, "reason=\"GROUP_TIMEOUT\",worker=\"ranker\"")).as("every reason from the start").isZero();
                assertThat(value(text, "gopo_ranker_records_in_total", "topic=\"completions\",worker=\"ranker\"")).isEqualTo(GROUPS * G + 1);
                // one latency observation per emitted group, in seconds, with its percentiles
                String latency = "gopo_ranker_emission_latency_seconds";
                assertThat(value(text, latency + "_count", "worker=\"ranker\"")).isEqualTo(GROUPS);
                assertThat(value(text, latency + "_sum", "worker=\"ranker\"")).isGreaterThanOrEqualTo(0);
                assertThat(value(text, latency + "_max", "worker=\"ranker\"")).isFinite().isGreaterThanOrEqualTo(0);
                // (percentiles come from a bucketed histogram, so p99 may be a bucket above the exact max)
                double p50 = value(text, latency, "worker=\"ranker\",quantile=\"0.5\"");
                assertThat(p50).isFinite().isGreaterThanOrEqualTo(0);
                assertThat(value(text, latency, "worker=\"ranker\",quantile=\"0.99\"")).isFinite().isGreaterThanOrEqualTo(p50);
                // the very sensors the progress log reads: one measuring path
                RankerMetrics.Snapshot sensors = RankerMetrics.Snapshot.of(worker.streams().metrics());
                assertThat(sensors.emitted()).isEqualTo(GROUPS);
                assertThat(sensors.deadLettersByReason()).containsEntry("UNDECODABLE", 1L);

                // Kafka Streams client metrics, and those of the clients it runs
                assertThat(text).contains("kafka_stream_").contains("kafka_consumer_").contains("kafka_producer_");
                // Once task-level metrics are bound (a refresh after the tasks started, so after the processors registered
                // their sensors), the ranker's own Kafka sensors must still be exported only as gopo_ranker_*.
                text = scrapeUntil(port, t -> t.contains("kafka_stream_task_"));
                assertThat(text).contains("kafka_stream_task_").doesNotContain("kafka_gopo");
            }
        }
    }
}
