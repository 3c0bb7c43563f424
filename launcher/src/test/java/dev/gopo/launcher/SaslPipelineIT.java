package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.embedded.SecuredEmbeddedKafka;
import dev.gopo.generator.feed.FeedPromptsCommand;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.platform.WorkerProcess;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.avro.AdvantageGroup;
import dev.gopo.avro.PolicyVersion;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.Prepare;
import dev.gopo.tasks.PrepareSettings;
import dev.gopo.tasks.PreparedArtifacts;
import dev.gopo.testing.TestInfra;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The pipeline against a broker that requires SASL_PLAINTEXT with SCRAM-SHA-512: prompts, generator, ranker
 * (Kafka Streams, exactly once), learner and evaluator, every Kafka client configured only through a
 * {@code --client-config} file; and a wrong password stopping a worker at start-up with one clear error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class SaslPipelineIT {
    private static final String USER = "gopo-worker";
    private static final String PASSWORD = "test-only-password";

    @TempDir
    static Path tmp;

    private SecuredEmbeddedKafka kafka;

    @BeforeAll
    void startSecuredBroker() throws Exception {
        kafka = SecuredEmbeddedKafka.start(tmp.resolve("kafka"), 4, Map.of(USER, PASSWORD));
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** A client-config file as an operator writes it: bootstrap servers, registry URL and SASL settings, nothing else. */
    private Path clientConfig(String name, String password) throws IOException {
        return Files.writeString(tmp.resolve(name), String.join("\n",
                "# the secured embedded broker of SaslPipelineIT",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "security.protocol=SASL_PLAINTEXT",
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\",
                "    username=\"" + USER + "\" password=\"" + password + "\";",
                "schema.registry.url=" + TestInfra.get().registryUrl(),
                ""));
    }

    private static ClusterConfig fromFile(Path file, String prefix) {
        // As picocli fills the mixin from "--client-config FILE --topic-prefix PREFIX", without the GOPO_* environment.
        ClusterOptions options = new ClusterOptions();
        options.clientConfig = file;
        options.topicPrefix = prefix;
        return options.toConfig();
    }

    @Test
    void promptsGeneratorRankerLearnerOverScram() throws Exception {
        String prefix = TestInfra.uniquePrefix("sasl");
        ClusterConfig cluster = fromFile(clientConfig("client.properties", PASSWORD), prefix);
        assertThat(cluster.bootstrapServers()).isEqualTo(kafka.bootstrapServers());
        assertThat(cluster.toString()).doesNotContain(PASSWORD);

        // The prompt feeder's command line, configured by the file alone.
        StringWriter feedErr = new StringWriter();
        CommandLine feed = WorkerProcess.commandLine(new FeedPromptsCommand());
        feed.setErr(new PrintWriter(feedErr));
        assertThat(feed.execute("--client-config", tmp.resolve("client.properties").toString(), "--topic-prefix", prefix + "feed.",
                "--count", "4")).as(feedErr.toString()).isZero();

        PreparedArtifacts prepared = new Prepare(PrepareSettings.defaults().withModelSize(ModelSize.TINY).withSteps(60, 60)
                .withSeed(3), tmp.resolve("cache"), new PrintWriter(new StringWriter())).run();
        int steps = 2;
        int groupsPerStep = 2;
        OnlineTraining.Settings settings = new OnlineTraining.Settings(steps, groupsPerStep, 4, 1, 1, List.of(Estimator.GOPO), 1e-4, 0.04, 8,
                LearnerConfig.NO_VERSION_BOUND, 2, 1, 1, 3, RewardTransform.parse("identity"));
        StringWriter text = new StringWriter();
        boolean completed;
        try (WorkerGroup workers = new WorkerGroup("sasl-it", Duration.ofSeconds(60))) {
            completed = new OnlineTraining(settings, new PrintWriter(text, true)).run(workers, cluster, prepared, tmp.resolve("run"));
        }
        assertThat(completed).as(text.toString()).isTrue();
        // Read back over the same secured listener: the ranker's groups and the learner's announced versions.
        List<AdvantageGroup> groups = TopicSnapshot.readAll(cluster, cluster.topics().advantages());
        assertThat(groups.size()).as(text.toString()).isGreaterThanOrEqualTo(steps * groupsPerStep);
        assertThat(groups.stream().map(AdvantageGroup::getGroupId).distinct().count()).isEqualTo(groups.size());
        List<PolicyVersion> versions = TopicSnapshot.readAll(cluster, cluster.topics().policyVersions());
        assertThat(versions).extracting(PolicyVersion::getVersion).contains(1L, 2L);
    }

    @Test
    void aWrongPasswordStopsAWorkerAtStartUpWithOneClearError() throws Exception {
        Path wrong = clientConfig("wrong.properties", "not-the-password");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> KafkaClients.requireBroker(fromFile(wrong, "x.")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the Kafka broker at " + kafka.bootstrapServers() + " refused this client's authentication")
                .hasMessageContaining("security.protocol=SASL_PLAINTEXT, sasl.mechanism=SCRAM-SHA-512, from --client-config " + wrong)
                .hasMessageContaining("retrying cannot help")
                .message().doesNotContain("not-the-password");

        // The same through a worker's command line: a non-zero exit well before the 15 s broker wait, not a retry loop.
        StringWriter err = new StringWriter();
        CommandLine feed = WorkerProcess.commandLine(new FeedPromptsCommand());
        feed.setErr(new PrintWriter(err));
        int code = feed.execute("--client-config", wrong.toString(), "--count", "1");
        assertThat(code).isNotZero();
        assertThat(err.toString()).contains("refused this client's authentication").contains("SCRAM-SHA-512")
                .doesNotContain("no Kafka broker reachable").doesNotContain("not-the-password");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(KafkaClients.BROKER_WAIT);
    }
}
