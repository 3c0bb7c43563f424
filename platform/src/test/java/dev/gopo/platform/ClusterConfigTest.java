package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.TopicNames;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {
    @Test
    void badSettingsFailWithAFix() {
        assertThatThrownBy(() -> new ClusterOptions("localhost", "http://r", "gopo.").toConfig())
                .hasMessageContaining("--bootstrap-servers 'localhost'").hasMessageContaining("host:port");
        assertThatThrownBy(() -> new ClusterOptions("localhost:9092", "r:8081", "gopo.").toConfig())
                .hasMessageContaining("--registry-url 'r:8081'");
        assertThatThrownBy(() -> new ClusterOptions("localhost:9092", "http://r", "a b").toConfig())
                .hasMessageContaining("topic prefix");
        assertThat(new ClusterOptions("a:1,b:2", "https://r/x", "p.").toConfig().topicNames().prompts()).isEqualTo("p.prompts");
    }

    @Test
    void missingBrokerIsAClearErrorNotAHang() {
        ClusterConfig nowhere = new ClusterConfig("127.0.0.1:9", "http://127.0.0.1:9", TopicNames.defaults());
        assertThatThrownBy(() -> KafkaClients.requireBroker(nowhere, Duration.ofSeconds(2)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Kafka broker reachable at 127.0.0.1:9");
    }
}
