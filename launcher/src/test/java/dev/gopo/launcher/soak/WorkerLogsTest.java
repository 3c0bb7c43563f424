package dev.gopo.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerLogsTest {
    @TempDir
    Path tmp;

    @Test
    void countsWarnAndErrorLinesByKindWithIdsAndNumbersMasked() throws Exception {
        Path a = tmp.resolve("a.log");
        Path b = tmp.resolve("b.log");
        Files.write(a, List.of(
                "22:30:42.233 WARN  [main] d.g.p.RecordPublisher - dead letter STALE_POLICY from soak.completions-0@19 key=summarise-864a72b18bf367c7@soak.prompts-3-5: old",
                "22:30:42.234 INFO  [main] d.g.generator.Generator - 50 groups published",
                "22:30:44.000 INFO  [watch] d.g.platform.BrokerWatch - broker at 127.0.0.1:4242 reachable again after 14s away",
                "22:30:45.000 WARN  [main] o.a.k.c.NetworkClient - [Consumer clientId=generator-1, groupId=g] Connection to node -1 could not be established.",
                "22:30:43.001 ERROR [watch] d.g.p.BrokerWatch - broker 127.0.0.1:4242 unreachable since 22:30:41"));
        Files.write(b, List.of(
                "22:31:42.233 WARN  [main] d.g.p.RecordPublisher - dead letter STALE_POLICY from soak.completions-2@7 key=constrained-79adc940b1ffcbae@soak.prompts-0-1: old",
                "22:31:50.000 ERROR d.g.p.BrokerWatch - broker 127.0.0.1:4343 unreachable since 22:31:48",
                "error: no Kafka broker reachable at 127.0.0.1:4242 within 15 s; start one",
                "not a log line"));

        List<WorkerLogs.Kind> kinds = WorkerLogs.kinds(List.of(a, b, tmp.resolve("missing.log")));

        assertThat(kinds).hasSize(5);
        assertThat(kinds.get(0).count()).isEqualTo(2);
        assertThat(kinds.get(0).level()).isEqualTo("WARN");
        assertThat(kinds.get(0).message()).isEqualTo("dead letter STALE_POLICY from <group> key=<group>: old");
        assertThat(kinds.get(1).message()).isEqualTo("broker #.#.#.#:# unreachable since #:#:#");
        assertThat(kinds.get(1).count()).as("also in the pattern without a thread").isEqualTo(2);
        assertThat(kinds.get(2).message()).isEqualTo("broker at #.#.#.#:# reachable again after #s away");
        assertThat(kinds.get(2).ours()).isTrue();
        assertThat(kinds.get(3).message()).isEqualTo("[client] Connection to node -# could not be established.");
        assertThat(kinds.get(3).ours()).isFalse();
        assertThat(kinds.get(4).logger()).isEqualTo(WorkerLogs.EXIT_LOGGER);
        assertThat(kinds.get(4).message()).isEqualTo("no Kafka broker reachable at #.#.#.#:# within # s; start one");
        assertThat(kinds.get(4).ours()).isTrue();
    }
}
