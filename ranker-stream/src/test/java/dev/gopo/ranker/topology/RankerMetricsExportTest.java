package dev.gopo.ranker.topology;

import static dev.gopo.ranker.topology.Samples.completion;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Prometheus meters of {@link RankerMetrics} ({@code --metrics-port}) record the very events its Kafka sensors
 * record: after a complete group, a partial one, an expired one, a junk record, a duplicate and a late record, each
 * scraped value equals the sensor's (TopologyTestDriver, so the wall clock and every latency are the test's).
 */
class RankerMetricsExportTest {
    @TempDir
    Path stateDir;

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(series + " in\n" + text).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void thePrometheusMetersCountWhatTheSensorsCount() throws Exception {
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(PrometheusScrape.freePort(), "ranker");
             RankerHarness h = RankerHarness.start(stateDir, b -> b, endpoint)) {
            for (int i = 0; i < 4; i++) {
                h.completion(completion("complete", i, 4, 0.1 * i).build(), 10 + i);
            }
            h.completion(completion("complete", 1, 4, 0.1).build(), 20);            // late: the group was emitted
            h.completion(completion("partial", 0, 4, 0.3).build(), 1);
            h.completion(completion("partial", 1, 4, 0.8).build(), 2);
            h.completion(completion("partial", 1, 4, 0.8).build(), 3);              // duplicate while open
            h.completion(completion("expired", 0, 4, null).build(), 4);
            h.rawCompletion("junk", new byte[] {0, 0, 0});
            h.advance(Duration.ofSeconds(61));

            RankerMetrics.Snapshot sensors = h.metrics();
            assertThat(sensors.emitted()).isEqualTo(1);
            assertThat(sensors.partial()).isEqualTo(1);
            assertThat(sensors.expired()).isEqualTo(1);
            assertThat(sensors.duplicates()).isEqualTo(1);
            assertThat(sensors.late()).isEqualTo(1);
            String text = endpoint.scrape();
            String w = "worker=\"ranker\"";
            assertThat(value(text, "gopo_ranker_groups_emitted_total{" + w + "}")).isEqualTo(sensors.emitted());
            assertThat(value(text, "gopo_ranker_groups_partial_total{" + w + "}")).isEqualTo(sensors.partial());
            assertThat(value(text, "gopo_ranker_groups_expired_total{" + w + "}")).isEqualTo(sensors.expired());
            assertThat(value(text, "gopo_ranker_duplicates_total{" + w + "}")).isEqualTo(sensors.duplicates());
            assertThat(value(text, "gopo_ranker_late_records_total{" + w + "}")).isEqualTo(sensors.late());
            assertThat(value(text, "gopo_ranker_records_in_total{topic=\"completions\"," + w + "}")).isEqualTo(sensors.completionsIn());
            for (String reason : sensors.deadLettersByReason().keySet()) {
                assertThat(value(text, "gopo_ranker_dead_letters_total{reason=\"" + reason + "\"," + w + "}")).as(reason)
                        .isEqualTo((double) sensors.deadLettersByReason().get(reason));
            }
            assertThat(sensors.deadLettersByReason()).containsEntry("UNDECODABLE", 1L).containsEntry("GROUP_TIMEOUT", 1L);
            // one latency observation per emitted group (complete or partial), the same milliseconds as the sensor's
            assertThat(value(text, "gopo_ranker_emission_latency_seconds_count{" + w + "}")).isEqualTo(sensors.emitted() + sensors.partial());
            assertThat(value(text, "gopo_ranker_emission_latency_seconds_max{" + w + "}") * 1000).isCloseTo(sensors.latencyMaxMs(), within(1e-6));
            // (the sensor's avg is windowed, ~60 s, and the clock moved 61 s: only the max compares exactly)
            assertThat(value(text, "gopo_ranker_emission_latency_seconds_sum{" + w + "}") * 1000).isGreaterThanOrEqualTo(sensors.latencyMaxMs());
            assertThat(sensors.latencyMaxMs()).as("the partial group waited for its timeout").isGreaterThan(0);
        }
    }
}
