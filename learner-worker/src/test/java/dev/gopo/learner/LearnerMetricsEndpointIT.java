package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.gopo.avro.TrainingMetrics;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.policy.training.TrainerConfig;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.testing.PrometheusScrape;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scrapes the Prometheus endpoint of a running learner ({@code --metrics-port}) and checks it against the metrics topic. */
class LearnerMetricsEndpointIT {
    @TempDir
    Path tmp;

    private static double value(String text, String name) {
        double v = PrometheusScrape.value(text, name + "{worker=\"learner\"}");
        assertThat(v).as(name + " in\n" + text).isNotNaN();
        return v;
    }

    @Test
    void aRunningLearnerServesItsStepMetricsAndItsConsumerMetrics() throws Exception {
        LearnerHarness h = new LearnerHarness("learner-metrics");
        Path init = Fixtures.tinyPolicy(tmp.resolve("init"));
        h.produceGroups(4, 4, 0);
        int port = PrometheusScrape.freePort();
        LearnerConfig config = new LearnerConfig("learner-metrics", Estimator.GOPO, 2, 1000, 4, 2, false, tmp.resolve("work"), init,
                TrainerConfig.defaults(1e-3), 0, Duration.ofSeconds(30), 0, false);
        AtomicBoolean stop = new AtomicBoolean();
        try (MetricsEndpoint endpoint = MetricsEndpoint.start(port, "learner");
             Learner learner = new Learner(config, h.cluster, endpoint)) {
            CompletableFuture<Void> run = CompletableFuture.runAsync(() -> {
                try {
                    learner.run(stop);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            String text = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!text.contains("gopo_train_step{worker=\"learner\"} 2.0") && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(200);
                text = PrometheusScrape.scrape(port);
            }
            stop.set(true);
            run.get(60, TimeUnit.SECONDS);

            assertThat(text).contains("gopo_train_step{worker=\"learner\"} 2.0")
                    .contains("kafka_consumer_")
                    .contains("kafka_producer_")
                    .doesNotContain("gopo_lag_hist");
            List<TrainingMetrics> published = h.readAll(h.cluster.topicNames().metrics(),
                    h.cluster.topics().metrics().valueSerde().deserializer(), 2, Duration.ofSeconds(20));
            var last = published.get(1).getMetrics();
            for (String key : List.of("loss/policy", "loss/kl", "ratio/clip_fraction", "grad/norm", "lag/optimizer_steps",
                    "throughput/tokens_per_s", "train/tokens")) {
                assertThat(value(text, MetricsEndpoint.prometheusName(key))).as(key).isCloseTo(last.get(key), within(1e-9));
            }
        }
    }
}
