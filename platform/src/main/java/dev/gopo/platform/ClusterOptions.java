package dev.gopo.platform;

import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.schemas.topic.Topics;
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

    public ClusterOptions() {
    }

    public ClusterOptions(String bootstrapServers, String registryUrl, String topicPrefix) {
        this.bootstrapServers = bootstrapServers;
        this.registryUrl = registryUrl;
        this.topicPrefix = topicPrefix;
    }

    /** Validated, immutable view of these options. */
    public ClusterConfig toConfig() {
        return new ClusterConfig(bootstrapServers, registryUrl, new TopicNames(topicPrefix));
    }

    /** Immutable cluster coordinates, validated at start-up. */
    public record ClusterConfig(String bootstrapServers, String registryUrl, TopicNames topicNames) {
        public ClusterConfig {
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
