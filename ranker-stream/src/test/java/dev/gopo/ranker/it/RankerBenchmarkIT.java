package dev.gopo.ranker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.ranker.bench.RankerBenchmark;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gopo bench-ranker} end to end at a tiny size: one warm-up round, two copy / Kafka Streams copy / ranker repeats on the same backlog
 * (the second ranker instance must see only its own output), the paced latency phase, and a report whose figures come
 * from those phases. Timings are printed, never asserted.
 */
class RankerBenchmarkIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSmallRunMeasuresEveryPhaseCleanly() throws Exception {
        RankerBenchmark.Options options = new RankerBenchmark.Options(300, 4, 8, 2, 1, 0.25, Duration.ofMillis(100), 40, 0,
                100, 1, 2, Map.of(), tmp);
        RankerBenchmark.Result result = RankerBenchmark.run(options);
        String report = result.report();
        System.out.print(report);

        assertThat(result.records()).isEqualTo(300 * 4 + 75 * 4); // 25 % of the groups also have 4 external rewards
        assertThat(result.warmUp().roundSeconds()).hasSize(1);
        assertThat(result.repeats()).hasSize(2).allSatisfy(r -> {
            assertThat(r.copy().seconds()).isPositive();
            assertThat(r.ranker().seconds()).isPositive();
            assertThat(r.streamsCopy().seconds()).isPositive();
            assertThat(r.ranker().threadTime()).startsWith("stream thread ").contains("s CPU", "for fetches", "producer flushes");
            assertThat(r.streamsCopy().threadTime()).startsWith("stream thread ").contains("s CPU", "for fetches", "producer flushes");
            assertThat(r.deadLetters()).isZero();
            assertThat(r.copy().health().clientErrors()).isZero();
        });
        assertThat(result.ceilingVoid()).isFalse();
        assertThat(result.emission().getTotalCount()).isEqualTo(40);
        assertThat(result.visible().getTotalCount()).isEqualTo(40);
        assertThat(report).contains("repeat 1:", "repeat 2:", "median:", "ratio:    ranker / ceiling = ", "kstreams: Kafka Streams copy / ceiling = ",
                        "latency:  40 groups")
                .doesNotContain("VOID");
    }
}
