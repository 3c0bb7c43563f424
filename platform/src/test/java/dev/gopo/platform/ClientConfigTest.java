package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

class ClientConfigTest {
    private static final String SECRET = "s3cr3t-Pa55";
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"gopo\" password=\"" + SECRET + "\";";

    @TempDir
    Path tmp;

    @Command(name = "worker", mixinStandardHelpOptions = true)
    static final class Worker implements Callable<Integer> {
        @Mixin
        ClusterOptions cluster = new ClusterOptions();

        @Override
        public Integer call() {
            return 0;
        }
    }

    private Path file(String name, String... lines) throws IOException {
        return Files.write(tmp.resolve(name), String.join("\n", lines).getBytes());
    }

    private Path secured() throws IOException {
        return file("client.properties",
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=" + JAAS.replace("\"", "\\\""),
                "ssl.truststore.password=" + SECRET,
                "linger.ms=20",
                "request.timeout.ms=60000",
                "basic.auth.credentials.source=USER_INFO",
                "basic.auth.user.info=registry-user:" + SECRET);
    }

    private static ClusterConfig parse(String... args) {
        Worker worker = new Worker();
        WorkerProcess.commandLine(worker).parseArgs(args);
        return worker.cluster.toConfig();
    }

    @Test
    void everyClientGetsTheFileAndThePipelineKeepsItsOwnKeys() throws IOException {
        ClusterConfig cluster = parse("-b", "broker:9092", "-r", "http://registry:8081", "--client-config", secured().toString());
        for (Map<String, Object> props : java.util.List.of(KafkaClients.producer(cluster, "p"), KafkaClients.consumer(cluster, "g", "c"))) {
            assertThat(props).containsEntry("security.protocol", "SASL_PLAINTEXT").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsEntry("sasl.jaas.config", JAAS).containsEntry("bootstrap.servers", "broker:9092")
                    // registry keys go to the registry client only
                    .doesNotContainKeys("basic.auth.user.info", "basic.auth.credentials.source");
        }
        // the file overrides a tuning default; owned settings stay the pipeline's
        assertThat(KafkaClients.producer(cluster, "p")).containsEntry("linger.ms", "20").containsEntry("acks", "all")
                .containsEntry("enable.idempotence", true).containsEntry("client.id", "p");
        assertThat(KafkaClients.consumer(cluster, "g", "c")).containsEntry("isolation.level", "read_committed")
                .containsEntry("enable.auto.commit", false).containsEntry("group.id", "g");
        // a request timeout above the admin's API timeout must not make the start-up check's admin client invalid
        ClusterConfig nowhere = parse("-b", "127.0.0.1:9", "--client-config", tmp.resolve("client.properties").toString());
        assertThatThrownBy(() -> KafkaClients.requireBroker(nowhere, Duration.ofSeconds(1)))
                .hasMessageContaining("no Kafka broker reachable at 127.0.0.1:9");
        assertThat(cluster.registry().authorization()).isPresent();
        assertThat(cluster.registry().authSource()).isEqualTo("basic.auth.user.info in --client-config " + tmp.resolve("client.properties"));
    }

    @Test
    void flagsOverrideTheFileAndTheFileOverridesDefaults() throws IOException {
        Path file = file("c.properties", "bootstrap.servers=from-file:9093", "schema.registry.url=http://file-registry:8081");
        Path registryFile = file("r.properties", "schema.registry.url=https://registry-file:8443");
        assertThat(parse("--client-config", file.toString()).bootstrapServers()).isEqualTo("from-file:9093");
        assertThat(parse("--client-config", file.toString()).registryUrl()).isEqualTo("http://file-registry:8081");
        assertThat(parse("--client-config", file.toString(), "--registry-config", registryFile.toString()).registryUrl())
                .isEqualTo("https://registry-file:8443");
        ClusterConfig flags = parse("--client-config", file.toString(), "-b", "flag:9094", "-r", "http://flag:8081");
        assertThat(flags.bootstrapServers()).isEqualTo("flag:9094");
        assertThat(flags.registryUrl()).isEqualTo("http://flag:8081");
        if (System.getenv("GOPO_BOOTSTRAP_SERVERS") == null && System.getenv("GOPO_CLIENT_CONFIG") == null) {
            assertThat(parse().bootstrapServers()).isEqualTo("localhost:9092");
            assertThat(parse().client()).isSameAs(ClientProperties.NONE);
        }
    }

    @Test
    void badFilesFailAtStartUpNamingFileAndKey() throws IOException {
        assertThatThrownBy(() -> parse("--client-config", tmp.resolve("missing.properties").toString()))
                .hasMessageContaining("--client-config " + tmp.resolve("missing.properties") + ": no such file");
        Path owned = file("owned.properties", "enable.idempotence=false");
        assertThatThrownBy(() -> parse("--client-config", owned.toString()))
                .hasMessageContaining("--client-config " + owned + " sets enable.idempotence, which the pipeline owns");
        Path groupId = file("group.properties", "group.id=mine");
        assertThatThrownBy(() -> parse("--client-config", groupId.toString())).hasMessageContaining("sets group.id");
    }

    @Test
    void secretsNeverShowInToStringHelpOrTheClientsLogs() throws IOException {
        Path file = secured();
        ClusterConfig cluster = parse("-b", "127.0.0.1:9", "--client-config", file.toString());
        assertThat(cluster.toString()).contains("sasl.jaas.config=[hidden]").contains("security.protocol=SASL_PLAINTEXT")
                .contains("basic.auth.user.info=[hidden]").doesNotContain(SECRET);
        assertThat(cluster.client().toString()).doesNotContain(SECRET);
        assertThat(cluster.registry().toString()).doesNotContain(SECRET);

        StringWriter help = new StringWriter();
        CommandLine cli = WorkerProcess.commandLine(new Worker());
        cli.setOut(new PrintWriter(help));
        cli.execute("--client-config", file.toString(), "--help");
        assertThat(help.toString()).contains("--client-config").contains("--registry-config").doesNotContain(SECRET);

        // Kafka's clients log their whole configuration when they start: the secret must not be in it.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        root.addAppender(logs);
        ch.qos.logback.classic.Level level = root.getLevel();
        root.setLevel(ch.qos.logback.classic.Level.DEBUG);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(KafkaClients.producer(cluster, "redaction-check"),
                new StringSerializer(), new StringSerializer())) {
            producer.close(Duration.ZERO);
        } finally {
            root.setLevel(level);
            root.detachAppender(logs);
        }
        assertThat(logs.list).anyMatch(e -> e.getFormattedMessage().contains("sasl.jaas.config"));
        assertThat(logs.list).noneMatch(e -> e.getFormattedMessage().contains(SECRET));
    }
}
