package dev.gopo.evaluator;

import dev.gopo.avro.EvaluationResult;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.schemas.serde.RecordDecodeException;
import dev.gopo.schemas.serde.RecordDecoder;
import dev.gopo.schemas.topic.Topic;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads eval-results from the beginning to its current end, once at start-up: what was already
 * evaluated (by any run of any evaluator on this pipeline), so a restart does not evaluate a
 * version twice and a CSV that missed a row can be completed.
 */
final class EvalResultsHistory {
    private static final Logger log = LoggerFactory.getLogger(EvalResultsHistory.class);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private EvalResultsHistory() {
    }

    /** Results by key ({@code task:version}), the last one read winning. */
    static Map<String, EvaluationResult> read(ClusterConfig cluster, Topic<String, EvaluationResult> topic, String clientId) {
        Map<String, Object> props = KafkaClients.consumer(cluster, "unused", clientId + "-history");
        // Assigned, never committed: no consumer group is needed.
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        RecordDecoder<EvaluationResult> decoder = new RecordDecoder<>(topic.valueSerde().deserializer());
        Map<String, EvaluationResult> results = new LinkedHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!caughtUp(consumer, end)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic.name() + " to its end within "
                            + READ_TIMEOUT.toSeconds() + " s; check the broker");
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        EvaluationResult result = decoder.decode(record);
                        results.put(EvaluatorConfig.resultKey(result.getTask(), result.getPolicyVersion()), result);
                    } catch (RecordDecodeException e) {
                        // Dead-lettering it here would repeat at every start-up; it only decides what to skip.
                        log.warn("skipping an unreadable record while reading past results: {}", e.getMessage());
                    }
                }
            }
        }
        return results;
    }

    private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }
}
