package dev.gopo.platform;

import dev.gopo.schemas.registry.RegistryClientSettings;
import dev.gopo.schemas.registry.SchemaRegistryClient;
import dev.gopo.schemas.topic.TopicNames;
import dev.gopo.schemas.topic.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import picocli.CommandLine.Option;

/**
 * Where a worker finds the pipeline: broker, schema registry, topic prefix, and how its clients
 * authenticate. A picocli mixin so every worker command spells these options the same way.
 *
 * <p>Precedence, highest first:
 * <ol>
 *   <li>keys the pipeline owns ({@link ClientProperties#OWNED}: ids, idempotence, acks, read_committed,
 *       manual commits, serdes): always the pipeline's; a client-config file that sets one is refused;</li>
 *   <li>command-line flags: {@code --bootstrap-servers}, {@code --registry-url}, the ranker's {@code --streams-property};</li>
 *   <li>environment variables: {@code GOPO_BOOTSTRAP_SERVERS}, {@code GOPO_REGISTRY_URL} (and {@code GOPO_CLIENT_CONFIG},
 *       {@code GOPO_REGISTRY_CONFIG}, which only name the files);</li>
 *   <li>the files: {@code --registry-config} over {@code --client-config} for registry keys; {@code bootstrap.servers}
 *       and {@code schema.registry.url} in them stand in for the flags; every other key goes to the clients and
 *       overrides the built-in tuning defaults;</li>
 *   <li>built-in defaults ({@code localhost:9092}, {@code http://localhost:8081}, {@link KafkaClients}' settings).</li>
 * </ol>
 */
public final class ClusterOptions {
    static final String DEFAULT_BOOTSTRAP = "localhost:9092";
    static final String DEFAULT_REGISTRY = "http://localhost:8081";

    @Option(names = {"-b", "--bootstrap-servers"}, paramLabel = "HOST:PORT[,…]",
            defaultValue = "${env:GOPO_BOOTSTRAP_SERVERS}",
            description = "Kafka bootstrap servers (env GOPO_BOOTSTRAP_SERVERS; else bootstrap.servers of --client-config). "
                    + "Default: " + DEFAULT_BOOTSTRAP)
    public String bootstrapServers;

    @Option(names = {"-r", "--registry-url"}, paramLabel = "URL",
            defaultValue = "${env:GOPO_REGISTRY_URL}",
            description = "Confluent-compatible schema registry REST URL, e.g. http://host:8081 (Confluent) or "
                    + "http://host:8080/apis/ccompat/v7 (Apicurio) (env GOPO_REGISTRY_URL; else schema.registry.url of "
                    + "--registry-config or --client-config). Default: " + DEFAULT_REGISTRY)
    public String registryUrl;

    @Option(names = "--topic-prefix", paramLabel = "PREFIX", defaultValue = "gopo.",
            description = "Prefix of every pipeline topic, so several pipelines can share a broker. Default: ${DEFAULT-VALUE}")
    public String topicPrefix;

    @Option(names = "--client-config", paramLabel = "FILE", defaultValue = "${env:GOPO_CLIENT_CONFIG}",
            description = "Java properties file applied to every Kafka client of this command (producers, consumers, admin, "
                    + "Kafka Streams), as Kafka tools' --command-config: security.protocol, sasl.*, ssl.*, timeouts; "
                    + "also the registry's basic.auth.* and schema.registry.ssl.* (Confluent names). Flags and environment "
                    + "variables override it; ids, acks, idempotence, isolation and commit settings cannot be set in it. "
                    + "Keep secrets here, not on the command line (env GOPO_CLIENT_CONFIG).")
    public Path clientConfig;

    @Option(names = "--registry-config", paramLabel = "FILE", defaultValue = "${env:GOPO_REGISTRY_CONFIG}",
            description = "Java properties file for the schema registry client only (schema.registry.url, "
                    + "basic.auth.credentials.source, basic.auth.user.info, schema.registry.ssl.*); its keys override "
                    + "the same keys of --client-config (env GOPO_REGISTRY_CONFIG).")
    public Path registryConfig;

    /**
     * Default of {@code --registry-timeout}: below the consumers' default {@code max.poll.interval.ms} (5 min), so a
     * worker in a consumer group gives up before the group drops it.
     */
    public static final Duration DEFAULT_REGISTRY_TIMEOUT = Duration.ofMinutes(4);

    /** Default of {@code --broker-timeout}. */
    public static final Duration DEFAULT_BROKER_TIMEOUT = Duration.ofMinutes(5);

    @Option(names = "--registry-timeout", paramLabel = "DURATION", defaultValue = "4m", converter = DurationConverter.class,
            description = "How long a worker waits for an unreachable schema registry (to fetch a writer schema it has not "
                    + "cached) before it stops without committing past the record; records are never dead-lettered for it. "
                    + "0 = wait forever. Default: ${DEFAULT-VALUE}")
    public Duration registryTimeout = DEFAULT_REGISTRY_TIMEOUT;

    @Option(names = "--broker-timeout", paramLabel = "DURATION", defaultValue = "5m", converter = DurationConverter.class,
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

    /** Validated, immutable view of these options, with the client-config files read. */
    public ClusterConfig toConfig() {
        ClientProperties client = ClientProperties.load(clientConfig, registryConfig);
        String bootstrap = firstSet(bootstrapServers, client.bootstrapServers().orElse(null), DEFAULT_BOOTSTRAP);
        String registry = firstSet(registryUrl, client.registryUrl().orElse(null), DEFAULT_REGISTRY);
        return new ClusterConfig(bootstrap, registry, new TopicNames(topicPrefix), client, null, registryTimeout, brokerTimeout);
    }

    private static String firstSet(String flagOrEnv, String file, String fallback) {
        return flagOrEnv != null && !flagOrEnv.isBlank() ? flagOrEnv : file != null ? file : fallback;
    }

    /**
     * Immutable cluster coordinates and client settings, validated at start-up.
     *
     * @param registryUrl the registry URL without user info (credentials in it move to {@code registry})
     * @param client      properties every Kafka client of the worker gets ({@link KafkaClients} applies them)
     * @param registry    the registry client's auth and TLS; null reads them from {@code client} and the URL
     * @param registryTimeout how long to wait for an unreachable registry before stopping; zero = forever
     * @param brokerTimeout   how long a running worker tolerates an unreachable broker before stopping; zero = forever
     */
    public record ClusterConfig(String bootstrapServers, String registryUrl, TopicNames topicNames, ClientProperties client,
                                RegistryClientSettings registry, Duration registryTimeout, Duration brokerTimeout) {
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
                throw new IllegalArgumentException("--registry-url '" + (registryUrl == null ? null : RegistryClientSettings.withoutUserInfo(registryUrl))
                        + "' must be an http:// or https:// URL");
            }
            Objects.requireNonNull(topicNames, "topicNames");
            client = client == null ? ClientProperties.NONE : client;
            if (registry == null) {
                registry = client.registrySettings(registryUrl);
            }
            registryUrl = RegistryClientSettings.withoutUserInfo(registryUrl);
        }

        /** Plaintext clients with the built-in settings and the default timeouts. */
        public ClusterConfig(String bootstrapServers, String registryUrl, TopicNames topicNames) {
            this(bootstrapServers, registryUrl, topicNames, ClientProperties.NONE, null, DEFAULT_REGISTRY_TIMEOUT, DEFAULT_BROKER_TIMEOUT);
        }

        /** The same cluster, client settings and timeouts under another topic prefix. */
        public ClusterConfig withTopicNames(TopicNames names) {
            return new ClusterConfig(bootstrapServers, registryUrl, names, client, registry, registryTimeout, brokerTimeout);
        }

        /** The same cluster and client settings with other registry and broker timeouts. */
        public ClusterConfig withTimeouts(Duration registryTimeout, Duration brokerTimeout) {
            return new ClusterConfig(bootstrapServers, registryUrl, topicNames, client, registry, registryTimeout, brokerTimeout);
        }

        /** A registry client with this cluster's auth and TLS settings. */
        public SchemaRegistryClient registryClient() {
            return new SchemaRegistryClient(registryUrl, registry);
        }

        public Topics topics() {
            return new Topics(topicNames, registryClient());
        }
    }
}
