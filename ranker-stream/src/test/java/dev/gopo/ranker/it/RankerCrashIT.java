package dev.gopo.ranker.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly once across a crash: the ranker runs in a child JVM, is killed with SIGKILL while groups
 * are flowing (an open transaction, uncommitted offsets, a dirty RocksDB state directory), and is
 * restarted with the same application.id and state directory. Read with read_committed, every group
 * must come out exactly once.
 */
class RankerCrashIT {
    private static final Logger log = LoggerFactory.getLogger(RankerCrashIT.class);
    private static final int GROUPS = 300;
    private static final int G = 4;

    @Test
    void killedMidRunAndRestartedNothingIsLostAndNothingIsEmittedTwice() throws Exception {
        Path work = Files.createDirectories(Path.of("target", "crash-it"));
        Path stateDir = Files.createTempDirectory(work, "state-");
        try (PipelineFixture fixture = new PipelineFixture("ranker-crash", 2)) {
            List<String> args = List.of("-b", fixture.cluster.bootstrapServers(), "-r", fixture.cluster.registryUrl(),
                    "--topic-prefix", fixture.cluster.topicNames().prefix(), "--application-id", fixture.cluster.topicNames().prefix() + "crash",
                    "--state-dir", stateDir.toString(), "--replication-factor", "1", "--partitions", "2", "--log-interval", "2s",
                    // a killed member leaves the group after its session times out: keep that short (the broker's minimum)
                    "--streams-property", "session.timeout.ms=6000");
            Process first = startChild(args, work.resolve("ranker-1.log"));
            Thread producer = new Thread(() -> {
                for (int n = 0; n < GROUPS; n++) {
                    fixture.sendGroup("group-" + n, G, n % 2 == 0);
                    if (n % 10 == 9) {
                        fixture.flush();
                        sleep(400);
                    }
                }
                fixture.flush();
            }, "crash-it-producer");
            producer.start();

            Map<String, Integer> counts = new HashMap<>();
            Process second = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(75);
            long quietUntil = Long.MAX_VALUE;
            try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(fixture.infra.consumerProps(fixture.cluster.topicNames().prefix() + "reader"),
                    new StringDeserializer(), new ByteArrayDeserializer())) {
                consumer.subscribe(List.of(fixture.cluster.topicNames().advantages()));
                while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                    for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                        counts.merge(r.key(), 1, Integer::sum);
                    }
                    if (second == null && counts.size() >= GROUPS / 4) {
                        log.info("killing the ranker (SIGKILL) after {} groups came out, producer still running: {}", counts.size(), producer.isAlive());
                        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                        second = startChild(args, work.resolve("ranker-2.log"));
                    }
                    if (counts.size() >= GROUPS && quietUntil == Long.MAX_VALUE) {
                        quietUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                    }
                }
            } finally {
                producer.join(10_000);
                first.destroyForcibly();
                if (second != null) {
                    second.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            }
            assertThat(second).as("the ranker was killed mid-run").isNotNull();
            List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            assertThat(duplicated).as("groups emitted more than once").isEmpty();
            assertThat(counts).as("groups emitted").hasSize(GROUPS);
        }
    }

    private static Process startChild(List<String> args, Path logFile) throws Exception {
        log.info("starting ranker child JVM, log {}", logFile);
        Files.deleteIfExists(logFile);
        return new ChildJvm(List.of("-Xmx512m", "-XX:TieredStopAtLevel=1"), RankerChildMain.class.getName(), args, Map.of()).start(logFile);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
