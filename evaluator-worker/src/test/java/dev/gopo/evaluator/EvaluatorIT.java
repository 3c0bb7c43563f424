package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.EvaluationResult;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluator on a real broker + registry. */
class EvaluatorIT {
    @TempDir
    Path tmp;

    @Test
    void evaluatesAnnouncedVersionsOnceEvenAcrossRestarts() throws Exception {
        ItHarness h = new ItHarness("evaluator");
        Path ref = tmp.resolve("policies/v-000000");
        String refSha = EvalFixtures.tinyPolicy(ref, 42);
        Path v1 = tmp.resolve("policies/v-000001");
        String v1Sha = EvalFixtures.tinyPolicy(v1, 43);
        Path rm = EvalFixtures.tinyRewardModel(tmp.resolve("rm"));
        Path csv = tmp.resolve("out/eval.csv");
        var topic = h.cluster.topics().policyVersions();
        h.infra.createTopics(List.of(topic.name()), 1);
        h.produce(topic, Map.entry("0", EvalFixtures.announcement(0, ref, refSha)), Map.entry("1", EvalFixtures.announcement(1, v1, v1Sha)));

        int port = PrometheusScrape.freePort();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(port, "evaluator");
             Evaluator evaluator = new Evaluator(EvalFixtures.config(csv, ref, rm, 2, Duration.ofSeconds(30)), h.cluster, endpoint)) {
            evaluator.run(new AtomicBoolean());
            assertThat(evaluator.evaluatedVersions()).isEqualTo(2);
            // --metrics-port: the counts, scraped over HTTP as Prometheus would.
            String text = PrometheusScrape.scrape(port);
            assertThat(text).as(text).contains("gopo_evaluator_versions_evaluated_total{worker=\"evaluator\"} 2.0")
                    .contains("gopo_evaluator_announcements_total{worker=\"evaluator\"} 2.0");
        }
        List<ConsumerRecord<String, EvaluationResult>> results = h.readAll(h.cluster.topicNames().evalResults(),
                h.cluster.topics().evalResults().valueSerde().deserializer(), 2, Duration.ofSeconds(20));
        assertThat(results).extracting(ConsumerRecord::key).containsExactly("summarise:0", "summarise:1");
        EvaluationResult v0 = results.get(0).value();
        assertThat(v0.getWinRate()).isEqualTo(0.5);
        assertThat(v0.getNumPrompts()).isEqualTo(4);
        // Version 0 has the reference's weights: the same hidden gold quality as the reference, through the registry.
        assertThat(v0.getGoldQuality()).isNotNull().isEqualTo(v0.getReferenceGoldQuality());
        assertThat(v0.getSamplesPerPrompt()).isEqualTo(1);
        EvaluationResult r1 = results.get(1).value();
        assertThat(r1.getStep()).isEqualTo(5);
        assertThat(r1.getValidationReward()).isFinite();
        assertThat(r1.getGoldQuality()).isBetween(0.0, 1.0);
        assertThat(r1.getWinRateCiLow()).isLessThanOrEqualTo(r1.getWinRate());
        assertThat(r1.getWinRateCiHigh()).isGreaterThanOrEqualTo(r1.getWinRate());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("task,policy_version,step");
        assertThat(lines.get(2)).startsWith("summarise,1,5,GOPO,4,");

        // A restart (and a re-announcement of version 1, as a restarted learner does) evaluates nothing again.
        h.produce(topic, Map.entry("1", EvalFixtures.announcement(1, v1, v1Sha)));
        try (Evaluator evaluator = new Evaluator(EvalFixtures.config(csv, ref, rm, 0, Duration.ofSeconds(3)), h.cluster)) {
            evaluator.run(new AtomicBoolean());
            assertThat(evaluator.evaluatedVersions()).isZero();
        }
        assertThat(Files.readAllLines(csv)).hasSize(3);

        // A CSV that lost its rows is completed from eval-results, still without evaluating anything.
        Files.delete(csv);
        try (Evaluator evaluator = new Evaluator(EvalFixtures.config(csv, ref, rm, 0, Duration.ofSeconds(3)), h.cluster)) {
            evaluator.run(new AtomicBoolean());
            assertThat(evaluator.evaluatedVersions()).isZero();
        }
        assertThat(Files.readAllLines(csv)).hasSize(3);
        assertThat(h.readAll(h.cluster.topicNames().evalResults(), h.cluster.topics().evalResults().valueSerde().deserializer(),
                2, Duration.ofSeconds(10))).hasSize(2);
    }

    @Test
    void badAnnouncementsAreDeadLetteredAndTheNextGoodVersionIsEvaluated() throws Exception {
        ItHarness h = new ItHarness("evaluator-bad");
        Path ref = tmp.resolve("ref");
        String refSha = EvalFixtures.tinyPolicy(ref, 42);
        Path v3 = tmp.resolve("v3");
        String v3Sha = EvalFixtures.tinyPolicy(v3, 44);
        Path rm = EvalFixtures.tinyRewardModel(tmp.resolve("rm"));
        var topic = h.cluster.topics().policyVersions();
        h.infra.createTopics(List.of(topic.name()), 1);
        h.produce(topic, Map.entry("1", EvalFixtures.announcement(1, tmp.resolve("deleted"), refSha)),
                Map.entry("2", EvalFixtures.announcement(2, ref, "0".repeat(64))));
        h.produceRaw(topic.name(), "junk", new byte[] {7, 7, 7});
        h.produce(topic, Map.entry("3", EvalFixtures.announcement(3, v3, v3Sha)));

        try (Evaluator evaluator = new Evaluator(EvalFixtures.config(tmp.resolve("eval.csv"), ref, rm, 1, Duration.ofSeconds(30)), h.cluster)) {
            evaluator.run(new AtomicBoolean());
            assertThat(evaluator.evaluatedVersions()).isEqualTo(1);
            assertThat(evaluator.handledAnnouncements()).isEqualTo(4);
            assertThat(evaluator.deadLetterCounts()).containsEntry(DeadLetterReason.WEIGHTS_MISSING, 1L)
                    .containsEntry(DeadLetterReason.WEIGHTS_HASH_MISMATCH, 1L).containsEntry(DeadLetterReason.UNDECODABLE, 1L);
        }
        List<ConsumerRecord<String, DeadLetter>> dead = h.readAll(h.cluster.topicNames().deadLetters(),
                h.cluster.topics().deadLetters().valueSerde().deserializer(), 3, Duration.ofSeconds(20));
        assertThat(dead).extracting(r -> r.value().getReason())
                .containsExactlyInAnyOrder("WEIGHTS_MISSING", "WEIGHTS_HASH_MISMATCH", "UNDECODABLE");
        assertThat(dead).allSatisfy(r -> {
            assertThat(r.value().getSourceTopic()).isEqualTo(topic.name());
            assertThat(r.value().getWorker()).isEqualTo("evaluator");
            assertThat(r.value().getOffset()).isNotNull();
        });
        assertThat(dead).filteredOn(r -> r.value().getReason().equals("WEIGHTS_MISSING")).singleElement()
                .satisfies(r -> assertThat(r.key()).isEqualTo("1"));
        List<ConsumerRecord<String, EvaluationResult>> results = h.readAll(h.cluster.topicNames().evalResults(),
                h.cluster.topics().evalResults().valueSerde().deserializer(), 1, Duration.ofSeconds(20));
        assertThat(results).extracting(ConsumerRecord::key).containsExactly("summarise:3");
    }
}
