package dev.gopo.schemas.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * How {@link SchemaRegistryClient} authenticates and encrypts, read from Confluent's client property
 * names so a file written for Confluent's serdes works unchanged:
 *
 * <table>
 *   <caption>properties</caption>
 *   <tr><th>key</th><th>meaning</th></tr>
 *   <tr><td>{@code basic.auth.credentials.source}</td><td>{@code USER_INFO} (from {@code basic.auth.user.info}),
 *       {@code URL} (from {@code http://user:password@host}), {@code SASL_INHERIT} (username and password of
 *       {@code sasl.jaas.config}); unset means USER_INFO when {@code basic.auth.user.info} is set, else URL when the
 *       URL carries credentials, else none</td></tr>
 *   <tr><td>{@code basic.auth.user.info}</td><td>{@code user:password} (also accepted with the
 *       {@code schema.registry.} prefix)</td></tr>
 *   <tr><td>{@code schema.registry.ssl.truststore.location/password/type}</td><td>trust store for an https registry
 *       (type JKS or PKCS12, default JKS); unset means the JVM's default trust</td></tr>
 *   <tr><td>{@code schema.registry.ssl.keystore.location/password/type}, {@code schema.registry.ssl.key.password}</td>
 *       <td>client certificate for mutual TLS</td></tr>
 * </table>
 *
 * <p>{@link #toString()} never shows a secret: it says where credentials come from, not what they are.
 */
public final class RegistryClientSettings {
    /** No authentication, the JVM's default TLS trust. */
    public static final RegistryClientSettings NONE = new RegistryClientSettings(null, null, "none", null);

    public static final String CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    public static final String SSL_PREFIX = "schema.registry.ssl.";

    private static final Pattern JAAS_OPTION = Pattern.compile("(username|password)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String authorization;
    private final SSLContext sslContext;
    private final String authSource;
    private final String tlsSource;

    private RegistryClientSettings(String authorization, SSLContext sslContext, String authSource, String tlsSource) {
        this.authorization = authorization;
        this.sslContext = sslContext;
        this.authSource = authSource;
        this.tlsSource = tlsSource;
    }

    /**
     * Reads the settings from client properties.
     *
     * @param registryUrl the registry URL as given; its user info is used only with source URL (or no source and no user info)
     * @param origin where {@code props} came from, e.g. {@code --client-config /etc/gopo/client.properties}; error
     *     messages and {@link #authSource()} name it so an operator knows which file to fix
     * @throws IllegalArgumentException for an unknown source, a missing or malformed user info, or a trust or key store
     *     that cannot be read; the message says which key to fix and never shows a secret
     */
    public static RegistryClientSettings fromProperties(Map<String, String> props, String registryUrl, String origin) {
        String userInfo = firstNonBlank(props.get(USER_INFO), props.get("schema.registry." + USER_INFO));
        String urlUserInfo = registryUrl == null ? null : URI.create(registryUrl).getRawUserInfo();
        String source = firstNonBlank(props.get(CREDENTIALS_SOURCE), props.get("schema.registry." + CREDENTIALS_SOURCE));
        if (source == null) {
            source = userInfo != null ? "USER_INFO" : urlUserInfo != null ? "URL" : null;
        }
        String authorization = null;
        String authSource = "none";
        if (source != null) {
            String credentials;
            switch (source.trim().toUpperCase(Locale.ROOT)) {
                case "USER_INFO" -> {
                    if (userInfo == null) {
                        throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=USER_INFO in " + origin + " needs " + USER_INFO + "=user:password");
                    }
                    credentials = userInfo;
                    authSource = USER_INFO + " in " + origin;
                }
                case "URL" -> {
                    if (urlUserInfo == null) {
                        throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=URL in " + origin
                                + " needs credentials in the registry URL, e.g. https://user:password@registry:8081");
                    }
                    credentials = URLDecoder.decode(urlUserInfo, StandardCharsets.UTF_8);
                    authSource = "the user info of the registry URL";
                }
                case "SASL_INHERIT" -> {
                    credentials = fromJaas(props.get("sasl.jaas.config"), origin);
                    authSource = "sasl.jaas.config in " + origin + " (" + CREDENTIALS_SOURCE + "=SASL_INHERIT)";
                }
                default -> throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=" + source + " in " + origin
                        + " is not supported; use USER_INFO (with " + USER_INFO + "=user:password), URL or SASL_INHERIT");
            }
            if (credentials.indexOf(':') < 1) {
                throw new IllegalArgumentException("registry credentials from " + authSource + " must have the form user:password");
            }
            authorization = "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
        }
        SSLContext ssl = null;
        String tlsSource = null;
        String truststore = blankToNull(props.get(SSL_PREFIX + "truststore.location"));
        String keystore = blankToNull(props.get(SSL_PREFIX + "keystore.location"));
        if (truststore != null || keystore != null) {
            ssl = sslContext(props, truststore, keystore, origin);
            tlsSource = (truststore != null ? "trust store " + truststore : "default trust")
                    + (keystore != null ? ", client key store " + keystore : "") + " from " + origin;
        }
        return new RegistryClientSettings(authorization, ssl, authSource, tlsSource);
    }

    /** The URL without user info, so it can be logged and shown in error messages. */
    public static String withoutUserInfo(String registryUrl) {
        URI uri = URI.create(registryUrl);
        if (uri.getRawUserInfo() == null) {
            return registryUrl;
        }
        return registryUrl.replaceFirst("//[^/@]*@", "//");
    }

    private static SSLContext sslContext(Map<String, String> props, String truststore, String keystore, String origin) {
        try {
            TrustManagerFactory tmf = null;
            if (truststore != null) {
                KeyStore trust = load(truststore, props.get(SSL_PREFIX + "truststore.type"), props.get(SSL_PREFIX + "truststore.password"),
                        SSL_PREFIX + "truststore", origin);
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
            }
            KeyManagerFactory kmf = null;
            if (keystore != null) {
                String storePassword = props.get(SSL_PREFIX + "keystore.password");
                KeyStore keys = load(keystore, props.get(SSL_PREFIX + "keystore.type"), storePassword, SSL_PREFIX + "keystore", origin);
                String keyPassword = firstNonBlank(props.get(SSL_PREFIX + "key.password"), storePassword);
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keys, keyPassword == null ? new char[0] : keyPassword.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot set up TLS to the schema registry from " + SSL_PREFIX + "* in " + origin + ": " + e.getMessage(), e);
        }
    }

    private static KeyStore load(String location, String type, String password, String what, String origin) throws GeneralSecurityException {
        String storeType = type == null || type.isBlank() ? "JKS" : type.trim();
        KeyStore store = KeyStore.getInstance(storeType);
        try (InputStream in = Files.newInputStream(Path.of(location))) {
            store.load(in, password == null ? null : password.toCharArray());
        } catch (IOException e) {
            // The message of a wrong password is "keystore password was incorrect"; it never contains the password.
            throw new IllegalArgumentException("cannot read " + what + ".location " + location + " (type " + storeType + ") named in " + origin
                    + ": " + e.getMessage() + "; check " + what + ".location, .type and .password", e);
        }
        return store;
    }

    private static String fromJaas(String jaas, String origin) {
        if (jaas == null || jaas.isBlank()) {
            throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=SASL_INHERIT in " + origin + " needs sasl.jaas.config with username and password");
        }
        String user = null;
        String password = null;
        Matcher m = JAAS_OPTION.matcher(jaas);
        while (m.find()) {
            if (m.group(1).equals("username")) {
                user = m.group(2);
            } else {
                password = m.group(2);
            }
        }
        if (user == null || password == null) {
            throw new IllegalArgumentException(CREDENTIALS_SOURCE + "=SASL_INHERIT in " + origin
                    + ": sasl.jaas.config has no username=\"...\" and password=\"...\" to inherit");
        }
        return user + ":" + password;
    }

    private static String firstNonBlank(String a, String b) {
        return blankToNull(a) != null ? a.trim() : blankToNull(b) != null ? b.trim() : null;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The value of the {@code Authorization} header, when credentials are configured. */
    public Optional<String> authorization() {
        return Optional.ofNullable(authorization);
    }

    /** The TLS context for https, or empty for the JVM's default. */
    public Optional<SSLContext> sslContext() {
        return Optional.ofNullable(sslContext);
    }

    /** Where the credentials come from ("none", or e.g. "basic.auth.user.info in --client-config FILE"), never what they are. */
    public String authSource() {
        return authSource;
    }

    /** Equal when the credentials and their sources are; TLS settings compare by where they were read from. */
    @Override
    public boolean equals(Object o) {
        return o instanceof RegistryClientSettings other && java.util.Objects.equals(authorization, other.authorization)
                && authSource.equals(other.authSource) && java.util.Objects.equals(tlsSource, other.tlsSource);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(authorization, authSource, tlsSource);
    }

    @Override
    public String toString() {
        return "registry auth: " + (authorization == null ? "none" : "basic, from " + authSource)
                + (tlsSource == null ? "" : "; TLS: " + tlsSource);
    }
}
