package dev.gopo.ranker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.ranker.bench.RankerBenchmarkCommand;
import dev.gopo.schemas.topic.Estimator;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RankerCommandTest {
    @Test
    void everyConfigKeyIsAnOption() {
        RankerCommand command = new RankerCommand();
        new CommandLine(command).parseArgs("-b", "broker:9092", "-r", "http://registry:8080/apis/ccompat/v7", "--topic-prefix", "p.",
                "--estimators", "GOPO,GRPO", "--reward-source", "EXTERNAL", "--reward-preference", "INLINE", "--group-timeout", "90s",
                "--min-scored-for-partial", "3", "--emitted-retention", "2h", "--max-group-size", "64", "--grpo-eps", "0.001",
                "--application-id", "my-ranker", "--state-dir", "/tmp/rs", "--stream-threads", "2", "--replication-factor", "3",
                "--partitions", "8", "--commit-interval", "250ms", "--log-interval", "10s", "--streams-property", "security.protocol=SSL",
                "--reward-transform", "power:3");
        RankerConfig c = command.toConfig();
        assertThat(c.cluster().bootstrapServers()).isEqualTo("broker:9092");
        assertThat(c.estimators()).containsExactly(Estimator.GOPO, Estimator.GRPO);
        assertThat(c.rewardSource()).isEqualTo(RewardSource.EXTERNAL);
        assertThat(c.rewardPreference()).isEqualTo(RewardPreference.INLINE);
        assertThat(c.groupTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(c.minScoredForPartial()).isEqualTo(3);
        assertThat(c.emittedRetention()).isEqualTo(Duration.ofHours(2));
        assertThat(c.maxGroupSize()).isEqualTo(64);
        assertThat(c.grpoEps()).isEqualTo(0.001);
        assertThat(c.applicationId()).isEqualTo("my-ranker");
        assertThat(c.stateDir()).isEqualTo(Path.of("/tmp/rs"));
        assertThat(c.streamThreads()).isEqualTo(2);
        assertThat(c.replicationFactor()).isEqualTo(3);
        assertThat(c.topicPartitions()).isEqualTo(8);
        assertThat(c.commitInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(c.logInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.streamsOverrides()).containsEntry("security.protocol", "SSL");
        assertThat(c.rewardTransform()).isEqualTo(dev.gopo.ranker.advantage.RewardTransform.parse("power:3"));
    }

    @Test
    void theClientConfigFileReachesKafkaStreamsUnderTheFlags(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path file = java.nio.file.Files.writeString(tmp.resolve("client.properties"), String.join("\n",
                "security.protocol=SASL_SSL", "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"pw-secret\";",
                "request.timeout.ms=40000"));
        RankerCommand command = new RankerCommand();
        new CommandLine(command).parseArgs("-b", "broker:9092", "-r", "http://registry:8081", "--client-config", file.toString(),
                "--streams-property", "request.timeout.ms=50000", "--state-dir", "/tmp/rs");
        RankerConfig c = command.toConfig();
        java.util.Properties props = RankerWorker.streamsProperties(c);
        assertThat(props).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                .containsEntry("request.timeout.ms", "50000").containsEntry("processing.guarantee", "exactly_once_v2")
                .containsEntry("bootstrap.servers", "broker:9092");
        assertThat(c.toString()).doesNotContain("pw-secret");

        Path owned = java.nio.file.Files.writeString(tmp.resolve("owned.properties"), "state.dir=/elsewhere\n");
        RankerCommand bad = new RankerCommand();
        new CommandLine(bad).parseArgs("--client-config", owned.toString());
        org.assertj.core.api.Assertions.assertThatThrownBy(bad::toConfig)
                .hasMessageContaining("--client-config " + owned + " sets state.dir, which the ranker owns");
    }

    @Test
    void secretStreamsPropertiesAreHiddenInToString() {
        RankerCommand command = new RankerCommand();
        new CommandLine(command).parseArgs("--streams-property", "sasl.jaas.config=x required password=\"pw-secret\";");
        assertThat(command.toConfig().toString()).contains("sasl.jaas.config=[hidden]").doesNotContain("pw-secret");
    }

    @Test
    void aBadRewardTransformIsAClearStartUpError() {
        RankerCommand command = new RankerCommand();
        new CommandLine(command).parseArgs("-b", "localhost:9092", "-r", "http://localhost:8081", "--reward-transform", "log");
        org.assertj.core.api.Assertions.assertThatThrownBy(command::toConfig).hasMessageContaining("reward transform 'log'")
                .hasMessageContaining("power:P");
    }

    @Test
    void defaultsOfTheCommandAreTheConfigDefaults() {
        RankerCommand command = new RankerCommand();
        new CommandLine(command).parseArgs("-b", "localhost:9092", "-r", "http://localhost:8081");
        RankerConfig fromCli = command.toConfig();
        RankerConfig fromBuilder = RankerConfig.builder(fromCli.cluster()).build();
        assertThat(fromCli).isEqualTo(fromBuilder);
    }

    @Test
    void helpDescribesEveryOption() {
        String help = usage(new RankerCommand());
        assertThat(help).contains("Usage: ranker", "--group-timeout=DURATION", "--reward-source=SOURCE", "Default: 5m", "GROUP_TIMEOUT",
                "--streams-property=KEY=VALUE", "--bootstrap-servers");
        assertThat(usage(new RankerBenchmarkCommand())).contains("Usage: bench-ranker", "--groups");
    }

    @Test
    void aBadDurationIsAParseErrorWithAHint() {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RankerCommand());
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--group-timeout", "soon");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
    }

    private static String usage(Object command) {
        StringWriter out = new StringWriter();
        new CommandLine(command).usage(new PrintWriter(out));
        return out.toString();
    }
}
