package dev.gopo.ranker.bench;

import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.RankerWorker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.Topology;

/**
 * The ceiling's work done by Kafka Streams: a stateless pass-through topology (source to sink, bytes unchanged) run with
 * exactly the ranker's Kafka Streams settings ({@link RankerWorker#streamsProperties}: exactly_once_v2, the commit
 * interval, the producer defaults), copying the same backlog as {@link CopyBaseline}.
 *
 * <p>It does no decoding, holds no state and writes no changelog, so {@code streams copy / ceiling} is what the framework
 * itself costs for the copy's work on the machine it ran on. It is not a strict bound on the ranker: the ranker writes
 * one record per group where this writes every record, but reads the same records and does more per record.
 */
final class StreamsCopy {
    private static final String SOURCE = "streams-copy-source";
    private static final String SINK = "streams-copy-sink";

    private StreamsCopy() {
    }

    /** The topology: every record of {@code inputs} to {@code output}, key and value as bytes. */
    static Topology topology(List<String> inputs, String output) {
        Topology topology = new Topology();
        topology.addSource(SOURCE, new ByteArrayDeserializer(), new ByteArrayDeserializer(), inputs.toArray(String[]::new));
        topology.addSink(SINK, output, new ByteArraySerializer(), new ByteArraySerializer(), SOURCE);
        return topology;
    }

    /**
     * Copies the backlog of {@code config}'s input topics to {@code output} and returns the seconds from RUNNING until
     * {@code out} (read_committed, positioned at the output's end beforehand) has seen {@code records} records, and the
     * stream thread's time split over that span.
     */
    static Timed run(RankerConfig config, String output, KafkaConsumer<byte[], byte[]> out, long records) throws InterruptedException {
        try (RankerWorker streams = RankerWorker.start(topology(config.inputTopics(), output), config, MetricsEndpoint.off())) {
            if (!streams.awaitRunning(Duration.ofSeconds(60))) {
                throw new IllegalStateException("streams copy did not reach RUNNING within 60 s", streams.failure());
            }
            StreamThreadTime before = StreamThreadTime.now(config.applicationId(), streams.streams().metrics());
            long start = System.nanoTime();
            long seen = 0;
            long end = start + TimeUnit.MINUTES.toNanos(20);
            while (seen < records) {
                seen += out.poll(Duration.ofMillis(100)).count();
                if (streams.failure() != null) {
                    throw new IllegalStateException("streams copy failed", streams.failure());
                }
                if (System.nanoTime() > end) {
                    throw new IllegalStateException("streams copy wrote only " + seen + " of " + records + " records in 20 minutes");
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Timed(seconds, StreamThreadTime.now(config.applicationId(), streams.streams().metrics()).describeSince(before, seconds));
        }
    }

    /** Seconds of a Kafka Streams phase and where its stream thread's time went. */
    record Timed(double seconds, String threadTime) {
    }
}
