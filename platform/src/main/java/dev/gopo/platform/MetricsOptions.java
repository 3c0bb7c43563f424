package dev.gopo.platform;

import picocli.CommandLine.Option;

/**
 * {@code --metrics-port}: where a worker serves its Prometheus scrape endpoint. A picocli mixin, separate from
 * {@link ClusterOptions} because it says nothing about where the pipeline is.
 */
public final class MetricsOptions {

    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:GOPO_METRICS_PORT:-0}",
            description = "Serve Prometheus metrics (the worker's own and its Kafka clients') at http://HOST:PORT/metrics "
                    + "(env GOPO_METRICS_PORT). 0 = no endpoint. Default: 0")
    public int port;

    public MetricsOptions() {
    }

    public MetricsOptions(int port) {
        this.port = port;
    }

    /** Starts the endpoint this option asks for ({@link MetricsEndpoint#off()} for port 0). */
    public MetricsEndpoint start(String worker) {
        return MetricsEndpoint.start(port, worker);
    }
}
