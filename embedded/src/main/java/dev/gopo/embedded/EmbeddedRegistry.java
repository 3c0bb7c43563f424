package dev.gopo.embedded;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real schema registry: Apicurio Registry (in-memory storage) as a child JVM, serving the
 * Confluent REST API at {@code http://127.0.0.1:<port>/apis/ccompat/v7}.
 *
 * <p>Ready when {@code GET /apis/ccompat/v7/subjects} answers 200 (polled, no fixed sleep).
 * The child's output goes to {@code registry.log} in the working directory. {@link #close()}
 * stops it and waits; a JVM shutdown hook also stops it if the parent dies without closing.
 *
 * <p>Storage is in memory by default. With {@code persistent}, schemas go to an H2 database file under the working
 * directory ({@code REGISTRY_DATASOURCE_URL=jdbc:h2:file:...}), so a registry restarted on kept data serves the
 * same ids the kept records carry; an in-memory registry would answer 404 for them and every worker would
 * dead-letter them as undecodable.
 *
 * <p>The child is watched ({@link Process#onExit()}): {@link #onUnexpectedExit} callbacks run when it exits without
 * {@link #close()} having been called.
 */
public final class EmbeddedRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedRegistry.class);
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    /** Where a persistent registry keeps its database, under its working directory. */
    public static final String DB_DIR = "db";

    private final Process process;
    private final int port;
    private final Path logFile;
    private final Thread shutdownHook;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    private EmbeddedRegistry(Process process, int port, Path logFile) {
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.shutdownHook = new Thread(process::destroy, "registry-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /**
     * Runs {@code then} with a message saying what happened (pid, port, exit code, where its log is) when the child
     * exits although nobody closed this registry: killed, out of memory, crashed.
     */
    public void onUnexpectedExit(java.util.function.Consumer<String> then) {
        process.onExit().thenAccept(p -> {
            if (!closing.get()) {
                then.accept("schema registry (pid " + p.pid() + ", " + url() + ") exited unexpectedly with code " + p.exitValue()
                        + "; see " + logFile);
            }
        });
    }

    /** The registry child's process id. */
    public long pid() {
        return process.pid();
    }

    /** Starts the registry on a free loopback port and waits until its REST API answers. */
    public static EmbeddedRegistry start(Path workDir, Duration readyTimeout) throws IOException, InterruptedException {
        return start(workDir, freePort(), readyTimeout);
    }

    public static EmbeddedRegistry start(Path workDir, int port, Duration readyTimeout) throws IOException, InterruptedException {
        return start(workDir, port, readyTimeout, false);
    }

    /**
     * @param port       the loopback port, or 0 for a free one
     * @param persistent keep schemas in a database file under {@code workDir} instead of in memory
     */
    public static EmbeddedRegistry start(Path workDir, int port, Duration readyTimeout, boolean persistent) throws IOException, InterruptedException {
        if (port == 0) {
            port = freePort();
        }
        Path jar = RegistryHome.runnerJar();
        Files.createDirectories(workDir);
        Path logFile = workDir.resolve("registry.log");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Dquarkus.http.port=" + port);
        cmd.add("-Dquarkus.http.host=127.0.0.1");
        cmd.add("-Dquarkus.log.level=WARN");

        cmd.add("-jar");
        cmd.add(jar.toString());
        long t0 = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true).redirectOutput(logFile.toFile());
        if (persistent) {
            // Apicurio's prod profile reads its datasource URL from this variable (default jdbc:h2:mem:registry_db);
            // (a -Dquarkus.datasource.jdbc.url system property did not take effect: the ids were gone after a restart).
            builder.environment().put("REGISTRY_DATASOURCE_URL", "jdbc:h2:file:" + workDir.toAbsolutePath().resolve(DB_DIR).resolve("registry"));
        }
        Process process = builder.start();
        EmbeddedRegistry registry = new EmbeddedRegistry(process, port, logFile);
        try {
            registry.awaitReady(readyTimeout, logFile);
        } catch (IOException | InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
        log.info("schema registry (Apicurio {}) ready at {} in {} ms", RegistryHome.VERSION, registry.url(),
                (System.nanoTime() - t0) / 1_000_000);
        return registry;
    }

    private void awaitReady(Duration timeout, Path logFile) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(url() + "/subjects")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("schema registry exited with code " + process.exitValue() + " before it was ready; see " + logFile);
            }
            try {
                if (http.send(probe, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the port opens only once Quarkus has started; poll again
            }
            Thread.sleep(100);
        }
        throw new IOException("schema registry not ready at " + url() + " after " + timeout.toSeconds() + " s; see " + logFile);
    }

    /** Base URL of the Confluent-compatible REST API. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        closing.set(true);
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            log.warn("schema registry did not stop within 20 s; killing it");
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // already in shutdown: the hook runs anyway and destroy() is idempotent
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }
}
