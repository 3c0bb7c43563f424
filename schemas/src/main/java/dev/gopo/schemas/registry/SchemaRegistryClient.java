package dev.gopo.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * HTTP client for the Confluent Schema Registry REST API (v7). It works unchanged against Confluent
 * Schema Registry, Apicurio Registry's {@code /apis/ccompat/v7} endpoint, Karapace or Redpanda.
 *
 * <p>Registered ids are cached per (subject, schema) and writer schemas per id, so a steady-state
 * producer or consumer makes no HTTP calls. Writer schemas fetched by id may come back with
 * {@code references} to other subjects (nested named records split out by the registry); these are
 * fetched and parsed first so the named types resolve.
 *
 * <p>Thread-safe.
 */
public final class SchemaRegistryClient implements SchemaRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

    private final String baseUrl;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
    private final Map<String, Boolean> compatibilityInitialised = new ConcurrentHashMap<>();
    private final CompatibilityLevel defaultCompatibility;
    private final RegistryClientSettings settings;

    /**
     * @param baseUrl registry base URL, e.g. {@code http://localhost:8081} for Confluent or
     *     {@code http://localhost:8080/apis/ccompat/v7} for Apicurio
     * @param defaultCompatibility level set on a subject the first time this client registers under it,
     *     if the subject has no level of its own yet
     */
    public SchemaRegistryClient(String baseUrl, CompatibilityLevel defaultCompatibility, Duration timeout) {
        this(baseUrl, defaultCompatibility, timeout, RegistryClientSettings.NONE);
    }

    /**
     * A client that authenticates (HTTP basic) and sets up TLS as {@code settings} say. User info in
     * {@code baseUrl} is stripped from it, so log lines and error messages never show it; to use it as
     * credentials, read {@code settings} from the same URL.
     */
    public SchemaRegistryClient(String baseUrl, CompatibilityLevel defaultCompatibility, Duration timeout, RegistryClientSettings settings) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        this.settings = Objects.requireNonNull(settings, "settings");
        URI uri = URI.create(baseUrl);
        if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw new IllegalArgumentException("schema registry URL must start with http:// or https://, got '" + baseUrl + "'");
        }
        String shown = RegistryClientSettings.withoutUserInfo(baseUrl);
        this.baseUrl = shown.endsWith("/") ? shown.substring(0, shown.length() - 1) : shown;
        this.defaultCompatibility = Objects.requireNonNull(defaultCompatibility, "defaultCompatibility");
        this.timeout = timeout;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(timeout);
        settings.sslContext().ifPresent(http::sslContext);
        this.http = http.build();
    }

    public SchemaRegistryClient(String baseUrl) {
        this(baseUrl, CompatibilityLevel.BACKWARD, Duration.ofSeconds(10));
    }

    public SchemaRegistryClient(String baseUrl, RegistryClientSettings settings) {
        this(baseUrl, CompatibilityLevel.BACKWARD, Duration.ofSeconds(10), settings);
    }

    @Override
    public String baseUrl() {
        return baseUrl;
    }

    /**
     * Registers {@code schema} under {@code subject} (or finds its existing id) and returns the
     * global schema id. The first registration of a subject by this client sets its compatibility
     * level to the default unless the subject already has one, so the registry enforces it on
     * every later change.
     *
     * @throws SchemaRegistryException with {@link SchemaRegistryException#isIncompatible()} when the
     *     registry rejects the schema under the subject's compatibility level; the message carries the
     *     registry's explanation
     */
    @Override
    public int register(String subject, Schema schema) {
        Map<Schema, Integer> ids = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
        Integer cached = ids.get(schema);
        if (cached != null) {
            return cached;
        }
        compatibilityInitialised.computeIfAbsent(subject, s -> {
            if (getSubjectCompatibility(s) == null) {
                try {
                    setCompatibility(s, defaultCompatibility);
                } catch (SchemaRegistryException e) {
                    // Apicurio: 409 "A rule named 'COMPATIBILITY' already exists" when another client set it a moment ago
                    if (!e.isIncompatible() || getSubjectCompatibility(s) == null) {
                        throw e;
                    }
                }
            }
            return Boolean.TRUE;
        });
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        JsonNode response;
        try {
            response = send("POST", "/subjects/" + encode(subject) + "/versions", body,
                    "register schema " + schema.getFullName() + " under subject '" + subject + "'");
        } catch (SchemaRegistryException e) {
            // Apicurio answers 409 "An artifact with ID ... already exists" to the loser of two first registrations of a
            // subject at the same moment (two ranker instances starting together), where Confluent's registry returns the
            // id. If the schema is now under the subject, that 409 was the race, not an incompatibility: use its id.
            if (!e.isIncompatible()) {
                throw e;
            }
            response = lookUp(subject, body).orElseThrow(() -> e);
        }
        int id = response.path("id").asInt(-1);
        if (id < 0) {
            throw new SchemaRegistryException("registry at " + baseUrl + " answered the registration of subject '"
                    + subject + "' without an id: " + response, 200, -1, null);
        }
        ids.put(schema, id);
        schemasById.putIfAbsent(id, schema);
        return id;
    }

    /** The registration of the schema in {@code body} under {@code subject} ({@code POST /subjects/{subject}}), if there is one. */
    private java.util.Optional<JsonNode> lookUp(String subject, ObjectNode body) {
        try {
            return java.util.Optional.of(send("POST", "/subjects/" + encode(subject), body, "look up a schema under subject '" + subject + "'"));
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return java.util.Optional.empty();
            }
            throw e;
        }
    }

    /** Writer schema for a global id, resolving schema references. Cached. */
    @Override
    public Schema getById(int id) {
        Schema cached = schemasById.get(id);
        if (cached != null) {
            return cached;
        }
        JsonNode response = send("GET", "/schemas/ids/" + id, null, "fetch schema id " + id);
        Schema schema = parseWithReferences(response);
        schemasById.putIfAbsent(id, schema);
        return schema;
    }

    private Schema parseWithReferences(JsonNode node) {
        Schema.Parser parser = new Schema.Parser();
        addReferences(parser, node.path("references"));
        return parser.parse(node.path("schema").asText());
    }

    private void addReferences(Schema.Parser parser, JsonNode references) {
        for (JsonNode ref : references) {
            String subject = ref.path("subject").asText();
            String version = ref.path("version").asText("latest");
            JsonNode referenced = send("GET", "/subjects/" + encode(subject) + "/versions/" + encode(version), null,
                    "fetch referenced schema '" + ref.path("name").asText() + "' (subject " + subject + ", version " + version + ")");
            addReferences(parser, referenced.path("references"));
            String name = ref.path("name").asText();
            if (!parser.getTypes().containsKey(name)) {
                parser.parse(referenced.path("schema").asText());
            }
        }
    }

    /** Latest schema registered under a subject, with references resolved. */
    @Override
    public Schema getLatest(String subject) {
        return parseWithReferences(send("GET", "/subjects/" + encode(subject) + "/versions/latest", null,
                "fetch latest schema of subject '" + subject + "'"));
    }

    /** Sets the subject's compatibility level. */
    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
        ObjectNode body = JSON.createObjectNode();
        body.put("compatibility", level.name());
        send("PUT", "/config/" + encode(subject), body, "set compatibility of subject '" + subject + "' to " + level);
    }

    /** The subject's own compatibility level, or null when it has none (it then follows the global one). */
    @Override
    public CompatibilityLevel getSubjectCompatibility(String subject) {
        try {
            JsonNode node = send("GET", "/config/" + encode(subject), null, "get compatibility of subject '" + subject + "'");
            String level = node.has("compatibilityLevel") ? node.path("compatibilityLevel").asText() : node.path("compatibility").asText();
            return level.isEmpty() ? null : CompatibilityLevel.valueOf(level);
        } catch (SchemaRegistryException e) {
            if (e.httpStatus() == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Asks the registry whether {@code schema} is compatible with the latest version of the subject
     * under the subject's compatibility level, without registering it.
     */
    @Override
    public boolean isCompatible(String subject, Schema schema) {
        ObjectNode body = JSON.createObjectNode();
        body.put("schema", schema.toString());
        body.put("schemaType", "AVRO");
        JsonNode node = send("POST", "/compatibility/subjects/" + encode(subject) + "/versions/latest", body,
                "test compatibility of " + schema.getFullName() + " with subject '" + subject + "'");
        return node.path("is_compatible").asBoolean(false);
    }

    private JsonNode send(String method, String path, JsonNode body, String what) {
        URI uri = URI.create(baseUrl + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", CONTENT_TYPE + ", application/json");
        settings.authorization().ifPresent(value -> request.header("Authorization", value));
        if (body != null) {
            request.header("Content-Type", CONTENT_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new SchemaRegistryException("schema registry unreachable at " + baseUrl + " (could not " + what + "): "
                    + e + ". Is the registry running and is --registry-url right?", -1, -1, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SchemaRegistryException("interrupted while trying to " + what + " at " + baseUrl, -1, -1, e);
        }
        JsonNode json = parse(response.body());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            // Not transient: retrying with the same credentials cannot succeed, so say what to fix instead.
            throw new SchemaRegistryException("schema registry at " + baseUrl + " refused to " + what + ": HTTP " + status
                    + (status == 401 ? " Unauthorized" : " Forbidden") + " with credentials from " + settings.authSource()
                    + (status == 401 ? "; check basic.auth.credentials.source and basic.auth.user.info (user:password)"
                    : "; the user lacks permission for this request"), status, json.path("error_code").asInt(-1), null);
        }
        if (status / 100 != 2) {
            int code = json.path("error_code").asInt(-1);
            String reason = json.path("message").asText(response.body());
            String hint = status == 409 ? " (the schema breaks the subject's compatibility level; make the change backward compatible, e.g. give new fields a default)" : "";
            throw new SchemaRegistryException("schema registry at " + baseUrl + " refused to " + what + ": HTTP " + status
                    + (code >= 0 ? " error " + code : "") + ": " + reason + hint, status, code, null);
        }
        return json;
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return JSON.createObjectNode().put("message", body);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
