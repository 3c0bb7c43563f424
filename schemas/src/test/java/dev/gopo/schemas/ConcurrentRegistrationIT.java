package dev.gopo.schemas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.registry.SchemaRegistryException;
import dev.gopo.testing.TestInfra;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Workers of one kind that start together (two ranker instances, say) register the same schema under a new subject at
 * the same moment. Apicurio answers the losers of that race with HTTP 409 "An artifact with ID ... already exists"
 * (found by {@code gopo soak}: a ranker exited at start-up with it); every registration must still get the one id.
 */
class ConcurrentRegistrationIT {
    private static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Raced\",\"namespace\":\"dev.gopo.test\",\"fields\":[{\"name\":\"x\",\"type\":\"int\"}]}");
    private static final Schema INCOMPATIBLE = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Raced\",\"namespace\":\"dev.gopo.test\",\"fields\":[{\"name\":\"x\",\"type\":\"string\"}]}");

    private final TestInfra infra = TestInfra.get();

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void clientsRegisteringANewSubjectAtOnceAllGetItsId() throws Exception {
        int clients = 4;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            for (int round = 0; round < 5; round++) {
                String subject = TestInfra.uniquePrefix("race") + "value";
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> ids = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    SchemaRegistryClient client = new SchemaRegistryClient(infra.registryUrl());
                    ids.add(pool.submit(() -> {
                        go.await();
                        return client.register(subject, SCHEMA);
                    }));
                }
                go.countDown();
                List<Integer> got = new ArrayList<>();
                for (Future<Integer> id : ids) {
                    got.add(id.get(60, TimeUnit.SECONDS));
                }
                assertThat(got).as("round %d", round).hasSize(clients).allMatch(id -> id.equals(got.get(0)));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void anIncompatibleSchemaIsStillRefused() {
        String subject = TestInfra.uniquePrefix("race-incompatible") + "value";
        SchemaRegistryClient client = new SchemaRegistryClient(infra.registryUrl());
        client.register(subject, SCHEMA);

        assertThatThrownBy(() -> new SchemaRegistryClient(infra.registryUrl()).register(subject, INCOMPATIBLE))
                .isInstanceOf(SchemaRegistryException.class).hasMessageContaining("HTTP 409");
    }
}
