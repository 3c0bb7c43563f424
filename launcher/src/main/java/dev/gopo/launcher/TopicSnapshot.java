package dev.gopo.launcher;

import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads every committed record of a topic, from offset 0 to the end offsets taken when the read starts
 * (read_committed, no consumer group, nothing committed). The records of each partition come in offset
 * order, partitions one after another in partition order, so two reads of an unchanged topic return the
 * same list. A topic that does not exist reads as empty.
 */
public final class TopicSnapshot {
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofMinutes(2);

    private TopicSnapshot() {
    }

    static <V> List<V> readAll(ClusterConfig cluster, Topic<String, V> topic) {
        List<V> values = new ArrayList<>();
        forEach(cluster, topic, values::add);
        return values;
    }

    static <V> void forEach(ClusterConfig cluster, Topic<String, V> topic, Consumer<V> action) {
        records(cluster, topic.name(), topic.valueSerde().deserializer()).forEach(r -> action.accept(r.value()));
    }

    /**
     * Every committed record of {@code topic} with its key and coordinates, partitions in order, each in offset order;
     * values read with {@code values} (a {@code ByteArrayDeserializer} reads keys and coordinates without the registry).
     */
    public static <V> List<ConsumerRecord<String, V>> records(ClusterConfig cluster, String topic, Deserializer<V> values) {
        Map<String, Object> props = KafkaClients.consumer(cluster, "unused", "snapshot-" + topic);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(15));
            if (infos == null || infos.isEmpty()) {
                return List.of();
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition()))
                    .sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList();
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            // All partitions assigned at once (reassigning one by one makes the consumer warn about each dropped one);
            // records are kept per partition and handed over in partition order.
            Map<TopicPartition, List<ConsumerRecord<String, V>>> byPartition = new LinkedHashMap<>();
            partitions.forEach(p -> byPartition.put(p, new ArrayList<>()));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading " + topic + " took more than " + DEADLINE.toMinutes() + " minutes");
                }
                for (var record : consumer.poll(POLL)) {
                    TopicPartition p = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < end.get(p)) {
                        byPartition.get(p).add(record);
                    }
                }
            }
            List<ConsumerRecord<String, V>> out = new ArrayList<>();
            byPartition.values().forEach(out::addAll);
            return out;
        }
    }
}
