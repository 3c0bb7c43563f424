package dev.gopo.generator;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.policy.sampling.SampledCompletion;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;

/**
 * The generator's Prometheus metrics ({@code --metrics-port}; the module README explains each): groups and completion
 * tokens published, seconds the prompt consumer spent paused by backpressure, and the Kafka clients' own metrics. With
 * the endpoint off every call is a no-op.
 */
final class GeneratorMetrics {
    static final String GROUPS = "generator/groups";
    static final String TOKENS = "generator/tokens";
    static final String PAUSED = "generator/paused";

    private final MetricsEndpoint endpoint;
    private final MetricsEndpoint.Count groups;
    private final MetricsEndpoint.Count tokens;

    GeneratorMetrics(MetricsEndpoint endpoint) {
        this.endpoint = endpoint;
        this.groups = endpoint.counter(GROUPS, "Completion groups published (one per prompt sampled).");
        this.tokens = endpoint.counter(TOKENS, "Completion tokens sampled and published (EOS included, prompt tokens not).");
    }

    /**
     * Exports {@link Generator#pausedNanos()} as {@code gopo_generator_paused_seconds_total}. The endpoint holds the
     * generator weakly, so the series reads the generator as long as the worker keeps it.
     */
    void watch(Generator generator) {
        endpoint.cumulative(PAUSED, "seconds", "Time the prompt consumer has been paused by backpressure (step budget or --max-groups-per-version).",
                generator, g -> g.pausedNanos() / (double) TimeUnit.SECONDS.toNanos(1));
    }

    /** One group published: {@code samples} are its completions. */
    void groupPublished(List<SampledCompletion> samples) {
        groups.increment();
        tokens.add(samples.stream().mapToInt(s -> s.tokens().length).sum());
    }

    /** Binds the client metrics of the prompt and version consumers and of the publisher's producer, until closed. */
    MetricsEndpoint.Binding bindClients(Consumer<?, ?> promptConsumer, Consumer<?, ?> versionConsumer, RecordPublisher publisher) {
        MetricsEndpoint.Binding prompts = endpoint.bindKafka(promptConsumer);
        MetricsEndpoint.Binding versions = endpoint.bindKafka(versionConsumer);
        MetricsEndpoint.Binding producer = endpoint.bindKafka(publisher);
        return () -> {
            producer.close();
            versions.close();
            prompts.close();
        };
    }
}
