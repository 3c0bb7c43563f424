package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.testing.TestInfra;
import org.junit.jupiter.api.Test;

class SmokeIT {
    @Test
    void smokeRoundTripsThroughRealBrokerAndRegistry() {
        TestInfra infra = TestInfra.get();
        ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), new TopicNames(TestInfra.uniquePrefix("smoke")));
        assertThat(SmokeCommand.run(cluster, 50)).isTrue();
    }
}
