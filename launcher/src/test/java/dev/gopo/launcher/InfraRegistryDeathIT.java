package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.platform.WorkerProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * D5 of issue 10: {@code gopo infra} notices when its registry child process dies, says so and exits with code 1.
 * Before, it went on running as if nothing had happened (this test then timed out waiting for it to end).
 */
class InfraRegistryDeathIT {
    private static final Pattern HTTP_PORT = Pattern.compile("-Dquarkus\\.http\\.port=(\\d+)");

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void exitsWithCode1WhenTheRegistryDies() throws Exception {
        Set<Long> before = ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
        CompletableFuture<Integer> infra = CompletableFuture.supplyAsync(() ->
                WorkerProcess.commandLine(new InfraCommand()).execute("--work-dir", tmp.resolve("infra").toString(), "--partitions", "1"));

        ProcessHandle registry = null;
        int port = -1;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        while (System.nanoTime() < deadline && !infra.isDone()) {
            if (registry == null) {
                Optional<ProcessHandle> child = ProcessHandle.current().children().filter(p -> !before.contains(p.pid()))
                        .filter(p -> p.info().commandLine().orElse("").contains("apicurio-registry-app")).findFirst();
                if (child.isPresent()) {
                    Matcher m = HTTP_PORT.matcher(child.get().info().commandLine().orElse(""));
                    if (m.find()) {
                        registry = child.get();
                        port = Integer.parseInt(m.group(1));
                    }
                }
            } else if (answers(http, port)) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(registry).as("gopo infra started its registry").isNotNull();
        assertThat(answers(http, port)).as("the registry is up").isTrue();
        // registry ready: EmbeddedInfra.start returns right after; a death noticed either way (onExit of a dead process fires at once)
        registry.destroyForcibly();

        assertThat(infra.get(90, TimeUnit.SECONDS)).as("gopo infra's exit code").isEqualTo(1);
    }

    private static boolean answers(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/apis/ccompat/v7/subjects"))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }
}
