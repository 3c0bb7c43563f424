package dev.gopo.ranker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.ScoredCompletion;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import dev.gopo.ranker.topology.RankerMetrics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ranker as a real Kafka Streams app on the real broker + registry. */
class RankerIT {
    private static final int GROUPS = 200;
    private static final int G = 4;

    @TempDir
    Path stateDir;

    @Test
    void everyGroupComesOutExactlyOnceWithInlineAndExternalRewards() throws Exception {
        try (PipelineFixture fixture = new PipelineFixture("ranker-it", 2)) {
            RankerConfig config = fixture.config().stateDir(stateDir).build();
            try (RankerWorker worker = RankerWorker.start(config)) {
                assertThat(worker.awaitRunning(Duration.ofSeconds(60))).as("ranker RUNNING").isTrue();
                for (int n = 0; n < GROUPS; n++) {
                    fixture.sendGroup("group-" + n, G, n % 3 == 0);
                }
                fixture.flush();
                Map<String, List<AdvantageGroup>> out = fixture.readAdvantages(GROUPS, Duration.ofSeconds(60), Duration.ofSeconds(2));
                assertThat(out).hasSize(GROUPS);
                assertThat(out.values()).allSatisfy(records -> assertThat(records).hasSize(1));
                AdvantageGroup external = out.get("group-3").get(0);
                assertThat(external.getPartial()).isFalse();
                assertThat(external.getCompletions()).extracting(ScoredCompletion::getIndex).containsExactly(0, 1, 2, 3);
                // rewards rise with the index: ranks 4 3 2 1 -> A = -2, -2/3, 2/3, 2
                assertThat(external.getCompletions().get(3).getAdvantage()).isEqualTo(2.0);
                assertThat(external.getCompletions().get(0).getAdvantage()).isEqualTo(-2.0);
                RankerMetrics.Snapshot metrics = RankerMetrics.Snapshot.of(worker.streams().metrics());
                assertThat(metrics.emitted()).isEqualTo(GROUPS);
                assertThat(metrics.deadLetters()).isZero();
                assertThat(metrics.completionsIn()).isEqualTo((long) GROUPS * G);
            }
        }
    }
}
