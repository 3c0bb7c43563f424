package dev.gopo.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a worker's Prometheus endpoint ({@code --metrics-port}) over HTTP, as a scraper would, for the metrics tests. */
public final class PrometheusScrape {
    private PrometheusScrape() {
    }

    /** A port that was free a moment ago, for {@code MetricsEndpoint.start(port, worker)}. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** The text of {@code http://localhost:PORT/metrics}; anything but HTTP 200 is an error. */
    public static String scrape(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /metrics on port " + port + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    /** Scrapes every 250 ms until {@code done} holds or {@code timeout} has passed, and returns the last text. */
    public static String scrapeUntil(int port, Predicate<String> done, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = scrape(port);
        while (!done.test(text) && System.nanoTime() < deadline) {
            Thread.sleep(250);
            text = scrape(port);
        }
        return text;
    }

    /**
     * The value of one series, written as Prometheus prints it with its labels sorted, e.g.
     * {@code gopo_train_step{worker="learner"}}; NaN when the series is absent.
     */
    public static double value(String text, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }
}
