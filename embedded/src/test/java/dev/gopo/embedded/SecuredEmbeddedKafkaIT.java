package dev.gopo.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The SCRAM-SHA-512 listener lets a known user in and turns a wrong password away, on a real broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredEmbeddedKafkaIT {
    @TempDir
    static Path tmp;

    private SecuredEmbeddedKafka kafka;

    @BeforeAll
    void start() throws Exception {
        kafka = SecuredEmbeddedKafka.start(tmp.resolve("kafka"), 2, Map.of("alice", "alice-test-password"));
    }

    @AfterAll
    void stop() throws Exception {
        kafka.close();
    }

    private Admin admin(String user, String password) {
        Map<String, Object> props = new HashMap<>(SecuredEmbeddedKafka.clientProperties(user, password));
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
        return Admin.create(props);
    }

    @Test
    void aKnownUserCreatesATopic() throws Exception {
        try (Admin admin = admin("alice", "alice-test-password")) {
            admin.createTopics(List.of(new NewTopic("secured-check", 1, (short) 1))).all().get(20, TimeUnit.SECONDS);
            assertThat(admin.listTopics().names().get(20, TimeUnit.SECONDS)).contains("secured-check");
        }
    }

    @Test
    void aWrongPasswordIsRefusedAtOnce() {
        long t0 = System.nanoTime();
        try (Admin admin = admin("alice", "wrong")) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(SaslAuthenticationException.class);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void noCredentialsAtAllAreNotLetIn() {
        Map<String, Object> props = Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
        try (Admin admin = Admin.create(props)) {
            assertThatThrownBy(() -> admin.describeCluster().nodes().get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        }
    }
}
