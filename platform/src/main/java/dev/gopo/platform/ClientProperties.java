package dev.gopo.platform;

import dev.gopo.schemas.registry.RegistryClientSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Kafka client properties a worker reads from {@code --client-config FILE} (and the schema-registry
 * properties from the same file or {@code --registry-config FILE}): a Java properties file, as Kafka's
 * own tools take with {@code --command-config}, applied to every producer, consumer, admin and Kafka
 * Streams client of the worker. Typical content: {@code security.protocol}, {@code sasl.mechanism},
 * {@code sasl.jaas.config}, {@code ssl.truststore.*}, timeouts.
 *
 * <p>What goes where:
 * <ul>
 *   <li>{@code bootstrap.servers} is not applied directly: it is a fallback for {@code --bootstrap-servers}
 *       (see {@link ClusterOptions} for the precedence), and {@code schema.registry.url} one for
 *       {@code --registry-url}.</li>
 *   <li>Registry keys ({@code schema.registry.*}, {@code basic.auth.*}) go to the registry client only, read
 *       with Confluent's names ({@link RegistryClientSettings}); the Kafka clients never see them.</li>
 *   <li>Keys the pipeline's guarantees rest on ({@link #OWNED}: idempotence, {@code read_committed}, manual
 *       commits, group and client ids) are refused at start-up, not silently overridden.</li>
 *   <li>Everything else goes to every Kafka client, and may override the tuning defaults of
 *       {@link KafkaClients} ({@code linger.ms}, {@code max.block.ms}); the admin client's API and request
 *       timeouts stay the start-up checks' own.</li>
 * </ul>
 *
 * <p>Immutable. {@link #toString()} shows every key but hides secret values ({@link #isSecret}).
 */
public final class ClientProperties {
    /** No file: plaintext clients with the built-in settings. */
    public static final ClientProperties NONE = new ClientProperties(Map.of(), Map.of(), "no client config");

    /** Keys a file may not set, each with the reason an operator sees. */
    static final Map<String, String> OWNED = ownedKeys();

    private static final Pattern SECRET = Pattern.compile(
            "(?i).*(password|secret|jaas\\.config|user\\.info|token|credentials?|\\.key|keystore\\.key|certificate\\.chain|truststore\\.certificates)$");

    private final Map<String, String> kafka;
    private final Map<String, String> registry;
    private final String origin;

    private ClientProperties(Map<String, String> kafka, Map<String, String> registry, String origin) {
        this.kafka = Collections.unmodifiableMap(new TreeMap<>(kafka));
        this.registry = Collections.unmodifiableMap(new TreeMap<>(registry));
        this.origin = origin;
    }

    private static Map<String, String> ownedKeys() {
        Map<String, String> owned = new LinkedHashMap<>();
        String ids = "each client's id comes from the worker's own id options";
        owned.put("client.id", ids);
        owned.put("group.id", ids);
        owned.put("transactional.id", ids);
        owned.put("application.id", "use the ranker's --application-id");
        owned.put("enable.idempotence", "producers are always idempotent so a retry never doubles a record");
        owned.put("acks", "producers always use acks=all so an acknowledged record is never lost");
        owned.put("enable.auto.commit", "workers commit their positions themselves after the work is done");
        owned.put("isolation.level", "consumers read only committed transactional data (read_committed)");
        owned.put("auto.offset.reset", "consumers start from the earliest record so no prompt or group is skipped");
        owned.put("processing.guarantee", "the ranker needs exactly_once_v2 to emit each group exactly once");
        for (String serde : new String[] {"key.serializer", "value.serializer", "key.deserializer", "value.deserializer"}) {
            owned.put(serde, "every topic's serdes are fixed by the pipeline (Avro in the Confluent wire format)");
        }
        return Collections.unmodifiableMap(owned);
    }

    /**
     * Reads the files; either may be null.
     *
     * @throws IllegalArgumentException when a file is missing or unreadable, or sets a key the pipeline owns; the message
     *     names the file and the key, never a value
     */
    public static ClientProperties load(Path clientConfig, Path registryConfig) {
        if (clientConfig == null && registryConfig == null) {
            return NONE;
        }
        Map<String, String> client = clientConfig == null ? Map.of() : read(clientConfig, "--client-config");
        Map<String, String> registryFile = registryConfig == null ? Map.of() : read(registryConfig, "--registry-config");
        Map<String, String> kafka = new LinkedHashMap<>();
        Map<String, String> registry = new LinkedHashMap<>(client);
        registry.putAll(registryFile);
        for (Map.Entry<String, String> e : client.entrySet()) {
            String key = e.getKey();
            if (OWNED.containsKey(key)) {
                throw new IllegalArgumentException("--client-config " + clientConfig + " sets " + key + ", which the pipeline owns: "
                        + OWNED.get(key) + ". Remove it from the file.");
            }
            if (!isRegistryKey(key)) {
                kafka.put(key, e.getValue());
            }
        }
        String origin = clientConfig == null ? "--registry-config " + registryConfig
                : registryConfig == null ? "--client-config " + clientConfig
                : "--client-config " + clientConfig + " and --registry-config " + registryConfig;
        return new ClientProperties(kafka, registry, origin);
    }

    private static Map<String, String> read(Path file, String option) {
        Properties props = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            props.load(in);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + ": no such file", e);
        } catch (IOException | IllegalArgumentException e) {
            // Properties.load's own message names the malformed escape, not the value around it.
            throw new IllegalArgumentException(option + " " + file + " cannot be read as a Java properties file: " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String key : props.stringPropertyNames()) {
            out.put(key.trim(), props.getProperty(key).trim());
        }
        return out;
    }

    /** Keys that configure the schema-registry client, not Kafka's. */
    static boolean isRegistryKey(String key) {
        return key.startsWith("schema.registry.") || key.startsWith("basic.auth.") || key.startsWith("bearer.auth.");
    }

    /** True for keys whose values are secrets: passwords, JAAS configs, registry user info, private keys, tokens. */
    public static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    /** Properties for every Kafka client (registry keys, {@code bootstrap.servers} and owned keys excluded). */
    public Map<String, String> kafka() {
        Map<String, String> out = new LinkedHashMap<>(kafka);
        out.remove("bootstrap.servers");
        return out;
    }

    /** {@code bootstrap.servers} from the client-config file, if it sets one. */
    public Optional<String> bootstrapServers() {
        return Optional.ofNullable(kafka.get("bootstrap.servers")).filter(s -> !s.isBlank());
    }

    /** {@code schema.registry.url} from the files, if they set one. */
    public Optional<String> registryUrl() {
        return Optional.ofNullable(registry.get("schema.registry.url")).filter(s -> !s.isBlank());
    }

    /** The registry client's auth and TLS for {@code registryUrl}, read with Confluent's property names. */
    public RegistryClientSettings registrySettings(String registryUrl) {
        return RegistryClientSettings.fromProperties(registry, registryUrl, origin);
    }

    /** Where these came from, for messages: e.g. {@code --client-config /etc/gopo/client.properties}. */
    public String origin() {
        return origin;
    }

    /** True when no file was given. */
    public boolean isEmpty() {
        return kafka.isEmpty() && registry.isEmpty();
    }

    /** A value of the Kafka properties for messages: secrets hidden. */
    String describe(String key) {
        String value = kafka.get(key);
        return value == null ? null : isSecret(key) ? "[hidden]" : value;
    }

    /** {@code props} with secret values replaced by {@code [hidden]}, for log lines. */
    public static Map<String, Object> redacted(Map<String, ?> props) {
        Map<String, Object> out = new TreeMap<>();
        props.forEach((k, v) -> out.put(k, isSecret(k) ? "[hidden]" : v));
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientProperties other && kafka.equals(other.kafka) && registry.equals(other.registry) && origin.equals(other.origin);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(kafka, registry, origin);
    }

    @Override
    public String toString() {
        if (isEmpty()) {
            return origin;
        }
        Map<String, Object> registryOnly = new TreeMap<>();
        registry.forEach((k, v) -> {
            if (isRegistryKey(k)) {
                registryOnly.put(k, isSecret(k) ? "[hidden]" : v);
            }
        });
        return origin + ": kafka " + redacted(kafka) + (registryOnly.isEmpty() ? "" : ", registry " + registryOnly);
    }
}
