package dev.gopo.ranker.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import dev.gopo.platform.DurationConverter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gopo bench-ranker}: the ranker benchmark on the embedded broker + registry (see {@link RankerBenchmark}). */
@Command(name = "bench-ranker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Benchmark the ranker on the embedded broker + registry: groups/s and emission latency p50/p99,",
                "against the ceiling of a transactional consume-produce copy of the same records, in one run, after a JIT warm-up,",
                "repeated (copy, Kafka Streams copy, ranker, ...) with the median ratios; each Kafka Streams phase reports where its",
                "stream thread's time went, and the latency phase (after a paced warm-up) how busy the machine's CPUs were.",
                "Exit code 3: the broker or a client logged an error while the ceiling was measured, so the ratio is void."})
public final class RankerBenchmarkCommand implements Callable<Integer> {
    @Option(names = "--groups", defaultValue = "50000", description = "Groups to push through in each repeat. Default: ${DEFAULT-VALUE}")
    int groups;

    @Option(names = "--group-size", defaultValue = "8", description = "Completions per group G. Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--tokens", defaultValue = "64", description = "Tokens per completion. Default: ${DEFAULT-VALUE}")
    int tokens;

    @Option(names = "--partitions", defaultValue = "4", description = "Partitions of every topic. Default: ${DEFAULT-VALUE}")
    int partitions;

    @Option(names = "--stream-threads", defaultValue = "1", description = "Ranker stream threads. Default: ${DEFAULT-VALUE}")
    int streamThreads;

    @Option(names = "--external-fraction", defaultValue = "0.25",
            description = "Fraction of groups whose rewards come from the rewards topic instead of inline. Default: ${DEFAULT-VALUE}")
    double externalFraction;

    @Option(names = "--commit-interval", defaultValue = "100ms", converter = DurationConverter.class,
            description = "Commit interval of the ranker and of the copy baseline. Default: ${DEFAULT-VALUE}")
    Duration commitInterval;

    @Option(names = "--latency-groups", defaultValue = "2000", description = "Groups of the paced latency phase (0 skips it). Default: ${DEFAULT-VALUE}")
    int latencyGroups;

    @Option(names = "--latency-rate", defaultValue = "0",
            description = "Offered groups/s in the latency phase; 0 means half the median of the repeats' ranker throughputs. Default: ${DEFAULT-VALUE}")
    double latencyRate;

    @Option(names = "--warmup-groups", defaultValue = "10000",
            description = {"Groups per warm-up round, run through the copy, the Kafka Streams copy and the ranker on topics of their own before",
                    "measuring (0: no warm-up).",
                    "Default: ${DEFAULT-VALUE}"})
    int warmupGroups;

    @Option(names = "--warmup-rounds", defaultValue = "4",
            description = {"At most this many warm-up rounds; the warm-up ends early after a round that spent less than 10 % of its time",
                    "in JIT compilation. Default: ${DEFAULT-VALUE}"})
    int warmupRounds;

    @Option(names = "--repeats", defaultValue = "3",
            description = "Copy, Kafka Streams copy and ranker measurements on the same records; the ratios are reported per repeat and as medians. Default: ${DEFAULT-VALUE}")
    int repeats;

    @Option(names = "--streams-property", paramLabel = "KEY=VALUE",
            description = {"A Kafka Streams (or, prefixed producer./consumer., client) setting of the measured ranker, as for gopo ranker;",
                    "repeatable. For experiments, e.g. producer.batch.size=65536."})
    Map<String, String> streamsProperties = new LinkedHashMap<>();

    @Option(names = "--work-dir", defaultValue = "gopo-work/bench-ranker", description = "Broker data and ranker state. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        RankerBenchmark.Result result = RankerBenchmark.run(new RankerBenchmark.Options(groups, groupSize, tokens, partitions, streamThreads,
                externalFraction, commitInterval, latencyGroups, latencyRate, warmupGroups, warmupRounds, repeats, streamsProperties, workDir));
        System.out.print(result.report());
        // a void ceiling is a failed measurement: say so in the exit code too, so a script repeating runs notices
        return result.ceilingVoid() ? 3 : 0;
    }

    /** Runs the benchmark without the launcher. A failure surfaces as an exception, so the JVM exits non-zero. */
    public static void main(String[] args) {
        int code = new CommandLine(new RankerBenchmarkCommand()).execute(args);
        if (code != 0) {
            throw new IllegalStateException("bench-ranker failed with exit code " + code);
        }
    }
}
