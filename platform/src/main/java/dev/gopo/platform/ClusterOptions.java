package dev.gopo.platform;

import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.schemas.topic.Topics;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * Where a worker finds the pipeline: broker, schema registry and topic prefix. A picocli mixin so
 * every worker command spells these options the same way.
 */
public final class ClusterOptions {
    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,…]",
            defaultValue = "${env:GOPO_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Kafka bootstrap servers (env GOPO_BOOTSTRAP_SERVERS). Default: ${DEFAULT-VALUE}")
    public String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL",
            defaultValue = "${env:GOPO_REGISTRY_URL:-http://localhost:8081}",
            description = "Confluent-compatible schema registry REST URL, e.g. http://host:8081 (Confluent) or "
                    + "http://host:8080/apis/ccompat/v7 (Apicurio) (env GOPO_REGISTRY_URL). Default: ${DEFAULT-VALUE}")
    public String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "gopo.",
            description = "Prefix of every pipeline topic, so several pipelines can share a broker. Default: ${DEFAULT-VALUE}")
    public String topicPrefix;

    /**
     * Default of {@code --registry-timeout}: below the consumers' default {@code max.poll.interval.ms} (5 min), so a
     * worker in a consumer group gives up before the group drops it.
     */
    public static final Duration DEFAULT_REGISTRY_TIMEOUT = Duration.ofMinutes(4);

    /** Default of {@code --broker-timeout}. */
    public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--registry-timeout", paramLabel = "DURATION", defaultValue = "4m",
            description = "How long a worker waits for an unreachable schema registry (to fetch a writer schema it has not "
                    + "cached) before it stops without committing past the record; records are never dead-lettered for it. "
                    + "0 = wait forever. Default: ${DEFAULT-VALUE}")
    public Duration registryTimeout = DEFAULT_REGISTRY_TIMEOUT;

    @Option(names = "--broker-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "How long a running worker tolerates an unreachable Kafka broker (said once, with the time it "
                    + "went away) before it stops with an error. 0 = wait forever. Default: ${DEFAULT-VALUE}")
    public Duration brokerTimeout = DEFAULT_BROKER_TIMEOUT;

    public ClusterOptions() {
    }

    public ClusterOptions(String bootstrapServers, String registryUrl, String topicPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.topicPrefix = topicPrefix;
    }

    /** Validated, immutable view of these options. */
    public ClusterConfig toConfig() {
        return new ClusterConfig(bootstrapServers, registryUrl, new TopicNames(topicPrefix), registryTimeout, brokerTimeout);
    }

    /**
     * Immutable cluster coordinates, validated at start-up.
     *
     * @param registryTimeout how long to wait for an unreachable registry before stopping; zero = forever
     * @param brokerTimeout   how long a running worker tolerates an unreachable broker before stopping; zero = forever
     */
    public record ClusterConfig(String bootstrapServers, String registryUrl, TopicNames topicNames, Duration registryTimeout,
                                Duration brokerTimeout) {
        /** With the default timeouts. */
        public ClusterConfig(String bootstrapServers, String registryUrl, TopicNames topicNames) {
            this(bootstrapServers, registryUrl, topicNames, DEFAULT_REGISTRY_TIMEOUT, DEFAULT_BROKER_TIMEOUT);
        }

        public ClusterConfig {
            if (registryTimeout == null || registryTimeout.isNegative()) {
                throw new IllegalArgumentException("--registry-timeout must be zero (wait forever) or positive, e.g. 4m");
            }
            if (brokerTimeout == null || brokerTimeout.isNegative()) {
                throw new IllegalArgumentException("--broker-timeout must be zero (wait forever) or positive, e.g. 5m");
            }
            if (bootstrapServers == null || bootstrapServers.isBlank() || !bootstrapServers.matches("[^,\\s]+:\\d+(,[^,\\s]+:\\d+)*")) {
                throw new IllegalArgumentException("--bootstrap-servers '" + bootstrapServers
                        + "' is not a comma-separated list of host:port, e.g. localhost:9092");
            }
            if (registryUrl == null || !(registryUrl.startsWith("http://") || registryUrl.startsWith("https://"))) {
                throw new IllegalArgumentException("--registry-url '" + registryUrl + "' must be an http:// or https:// URL");
            }
        }

        public Topics topics() {
            return new Topics(topicNames, new SchemaRegistryClient(registryUrl));
        }
    }
}
