package dev.gopo.ranker.topology;

import dev.gopo.avro.DeadLetter;
import dev.gopo.avro.Reward;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.ranker.RankerConfig;
import dev.gopo.ranker.state.GroupStore;
import dev.gopo.schemas.registry.SchemaRegistry;
import dev.gopo.schemas.serde.AvroDeserializer;
import dev.gopo.schemas.serde.AvroSerializer;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.AutoOffsetReset;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;

/**
 * The ranker topology: completions (+ rewards) in, one {@code AdvantageGroup} per complete group and
 * estimator out, bad input to the dead-letter topic.
 *
 * <pre>
 *   completions ─► completions-decoder ─┐                      ┌─► advantages[.suffix]  (one sink per estimator)
 *                                        ├─► group-assembler ──┤
 *   rewards ─────► rewards-decoder ─────┘   (ranker-groups,    └─► dead-letters
 *                                             ranker-deadlines)
 *        decoders ─────────────────────────────────────────────────► dead-letters
 * </pre>
 *
 * The rewards source exists only when the reward source reads the rewards topic. Both sources feed
 * one processor, so they form one sub-topology: task {@code p} gets partition {@code p} of both
 * topics, which is why completions and rewards must have the same partition count and be keyed by
 * group id with the default (murmur2) partitioner.
 */
public final class RankerTopology {
    public static final String COMPLETIONS_SOURCE = "completions-source";
    public static final String REWARDS_SOURCE = "rewards-source";
    public static final String COMPLETIONS_DECODER = "completions-decoder";
    public static final String REWARDS_DECODER = "rewards-decoder";
    public static final String ASSEMBLER = "group-assembler";
    public static final String DEAD_LETTER_SINK = "dead-letters-sink";

    private RankerTopology() {
    }

    /** Sink node of one estimator's advantages topic. */
    public static String sinkName(Estimator estimator) {
        return "advantages-" + estimator.name().toLowerCase(Locale.ROOT) + "-sink";
    }

    /**
     * Builds the topology; pure: it opens no connection. The registry is given, not made here, so that the
     * {@code TopologyTestDriver} tests run the real serdes against an in-memory registry; {@code main} passes the HTTP
     * client for {@code --registry-url}, which is contacted when the first record is read or written.
     */
    public static Topology build(RankerConfig config, SchemaRegistry registry) {
        return build(config, registry, MetricsEndpoint.off());
    }

    /** The topology whose {@link RankerMetrics} also record into {@code endpoint} ({@code --metrics-port}). */
    public static Topology build(RankerConfig config, SchemaRegistry registry, MetricsEndpoint endpoint) {
        TopicNames names = config.topicNames();
        Topology topology = new Topology();
        List<String> decoders = new ArrayList<>();

        topology.addSource(AutoOffsetReset.earliest(), COMPLETIONS_SOURCE, new UsePartitionTimeOnInvalidTimestamp(),
                new StringDeserializer(), new ByteArrayDeserializer(), names.completions());
        topology.addProcessor(COMPLETIONS_DECODER, () -> new InputDecoder<>(new CompletionReader(registry),
                RankerMetrics.Input.COMPLETIONS, (key, c) -> RecordChecks.completion(key, c, config), GroupEvent.CompletionArrived::new, endpoint),
                COMPLETIONS_SOURCE);
        decoders.add(COMPLETIONS_DECODER);

        if (config.rewardSource().readsRewardsTopic()) {
            topology.addSource(AutoOffsetReset.earliest(), REWARDS_SOURCE, new UsePartitionTimeOnInvalidTimestamp(),
                    new StringDeserializer(), new ByteArrayDeserializer(), names.rewards());
            topology.addProcessor(REWARDS_DECODER, () -> new InputDecoder<>(new AvroDeserializer<>(registry, Reward.class)::deserialize,
                    RankerMetrics.Input.REWARDS, (key, r) -> RecordChecks.reward(key, r, config), GroupEvent.RewardArrived::new, endpoint),
                    REWARDS_SOURCE);
            decoders.add(REWARDS_DECODER);
        }

        topology.addProcessor(ASSEMBLER, () -> new GroupAssembler(config, registry, endpoint), decoders.toArray(String[]::new));
        topology.addStateStore(GroupStore.groupsStore(), ASSEMBLER);
        topology.addStateStore(GroupStore.deadlinesStore(), ASSEMBLER);

        for (Estimator estimator : config.estimators()) {
            // the assembler writes AdvantageGroup in the Confluent wire format itself (AdvantageGroupWriter): bytes pass through
            topology.addSink(sinkName(estimator), config.advantagesTopic(estimator), new StringSerializer(), new ByteArraySerializer(), ASSEMBLER);
        }
        List<String> dlqParents = new ArrayList<>(decoders);
        dlqParents.add(ASSEMBLER);
        topology.addSink(DEAD_LETTER_SINK, names.deadLetters(), new StringSerializer(), new AvroSerializer<DeadLetter>(registry),
                dlqParents.toArray(String[]::new));
        return topology;
    }
}
