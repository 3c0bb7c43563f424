package dev.gopo.launcher.soak;

import dev.gopo.avro.DeadLetter;
import dev.gopo.generator.CompletionGroup;
import dev.gopo.launcher.TopicSnapshot;
import dev.gopo.launcher.soak.GroupAccounting.Keyed;
import dev.gopo.learner.Checkpoint;
import dev.gopo.learner.CheckpointStore;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads what the pipeline left behind into {@link GroupAccounting.Observed}: the prompts, completions, advantages
 * (read_committed) and dead-letters topics, the generators' committed prompt positions, and the learner's checkpoints.
 * Reading the checkpoints opens a {@link CheckpointStore}, which removes half-written checkpoints: only once the learner
 * has stopped.
 */
final class PipelineState {
    private final ClusterConfig cluster;
    private final String generatorGroup;

    PipelineState(ClusterConfig cluster, String generatorGroup) {
        this.cluster = cluster;
        this.generatorGroup = generatorGroup;
    }

    /** How many fed groups are neither on the advantages topic nor dead-lettered yet. */
    record Unsettled(long open, int fed) {
    }

    /** Reads only the prompts, advantages and dead letters (the learner may still run). */
    Unsettled unsettled() {
        TopicNames names = cluster.topicNames();
        Set<String> settled = new HashSet<>();
        raw(names.advantages()).forEach(r -> settled.add(r.key()));
        deadLetters().forEach(d -> settled.add(d.getKey()));
        List<ConsumerRecord<String, byte[]>> prompts = raw(names.prompts());
        long open = prompts.stream().filter(r -> !settled.contains(CompletionGroup.groupId(r.key(), r.topic(), r.partition(), r.offset())))
                .count();
        return new Unsettled(open, prompts.size());
    }

    /** The topics and the stopped learner's checkpoints under {@code checkpointDir}. */
    GroupAccounting.Observed withLedger(Path checkpointDir) throws Exception {
        CheckpointStore store = new CheckpointStore(checkpointDir, 2);
        List<String> ledger = new ArrayList<>();
        for (Checkpoint c : store.all()) {
            ledger.addAll(c.trainedGroups());
        }
        Map<Integer, Long> offsets = new HashMap<>();
        Optional<Checkpoint> latest = store.latest();
        String advantages = cluster.topicNames().advantages();
        latest.ifPresent(c -> c.offsets().forEach((tp, o) -> {
            int dash = tp.lastIndexOf('-');
            if (tp.substring(0, dash).equals(advantages)) {
                offsets.put(Integer.parseInt(tp.substring(dash + 1)), o);
            }
        }));
        return read(ledger, offsets);
    }

    private GroupAccounting.Observed read(List<String> ledger, Map<Integer, Long> checkpointOffsets) throws Exception {
        TopicNames names = cluster.topicNames();
        List<Keyed> groups = new ArrayList<>();
        for (ConsumerRecord<String, byte[]> r : raw(names.prompts())) {
            groups.add(new Keyed(CompletionGroup.groupId(r.key(), r.topic(), r.partition(), r.offset()), r.partition(), r.offset()));
        }
        Set<String> sampled = new HashSet<>();
        raw(names.completions()).forEach(r -> sampled.add(r.key()));
        List<Keyed> advantages = raw(names.advantages()).stream().map(r -> new Keyed(r.key(), r.partition(), r.offset())).toList();
        return new GroupAccounting.Observed(groups, promptCommitted(), ledger, advantages, checkpointOffsets, deadLetters(), sampled);
    }

    /** (group id, reason) of every dead letter about a group, in topic order. */
    private List<Map.Entry<String, String>> deadLetters() {
        TopicNames names = cluster.topicNames();
        List<Map.Entry<String, String>> deadLetters = new ArrayList<>();
        for (ConsumerRecord<String, DeadLetter> r : TopicSnapshot.records(cluster, names.deadLetters(),
                cluster.topics().deadLetters().valueSerde().deserializer())) {
            groupOf(r.value(), names).ifPresent(g -> deadLetters.add(new AbstractMap.SimpleImmutableEntry<>(g, r.value().getReason())));
        }
        return deadLetters;
    }

    /** The group a dead letter is about: a prompt's group from its coordinates, else the key (the group id) of a group's record. */
    static Optional<String> groupOf(DeadLetter d, TopicNames names) {
        if (d.getKey() == null) {
            return Optional.empty();
        }
        if (d.getSourceTopic().equals(names.prompts())) {
            if (d.getPartition() == null || d.getOffset() == null) {
                return Optional.empty();
            }
            return Optional.of(CompletionGroup.groupId(d.getKey(), d.getSourceTopic(), d.getPartition(), d.getOffset()));
        }
        boolean aboutAGroup = d.getSourceTopic().equals(names.completions()) || d.getSourceTopic().equals(names.rewards())
                || d.getSourceTopic().startsWith(names.advantages());
        return aboutAGroup ? Optional.of(d.getKey()) : Optional.empty();
    }

    private List<ConsumerRecord<String, byte[]>> raw(String topic) {
        return TopicSnapshot.records(cluster, topic, new ByteArrayDeserializer());
    }

    private Map<Integer, Long> promptCommitted() throws Exception {
        Map<Integer, Long> committed = new HashMap<>();
        try (Admin admin = KafkaClients.admin(cluster)) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(generatorGroup).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS);
            offsets.forEach((tp, o) -> {
                if (o != null && tp.topic().equals(cluster.topicNames().prompts())) {
                    committed.put(tp.partition(), o.offset());
                }
            });
        }
        return committed;
    }

}
