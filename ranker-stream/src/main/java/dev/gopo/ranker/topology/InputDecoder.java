package dev.gopo.ranker.topology;

import dev.gopo.platform.DeadLetterReason;
import dev.gopo.platform.MetricsEndpoint;
import dev.gopo.schemas.serde.SchemaUnavailableException;
import java.util.function.BiFunction;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * First stage for one input topic: decodes the raw value (completions: {@link CompletionReader}, which
 * scans them in place; rewards: the registry-backed Avro deserializer), runs the record-level checks and forwards a {@link GroupEvent} to the assembler;
 * anything undecodable or invalid goes to the dead-letter topic instead, and processing goes on.
 *
 * <p>The topic is consumed as bytes (not with an Avro serde) precisely so that a bad record can be
 * dead-lettered with its partition, offset and payload instead of stopping the stream thread.
 * A schema registry that cannot be reached is not the record's fault: that failure propagates
 * (the instance stops and its last transaction is aborted) rather than dead-lettering good records.
 */
final class InputDecoder<T> implements Processor<String, byte[], String, Object> {
    /** Turns a record's value into {@code T}; a {@link SerializationException} means the bytes are bad (or the registry failed). */
    @FunctionalInterface
    interface Decode<T> {
        T decode(String topic, Headers headers, byte[] raw);
    }

    private final Decode<T> deserializer;
    private final RankerMetrics.Input input;
    private final BiFunction<String, T, Rejection> check;
    private final BiFunction<T, byte[], GroupEvent> toEvent;
    private final MetricsEndpoint endpoint;
    private ProcessorContext<String, Object> context;
    private RankerMetrics metrics;
    private DeadLetterRouter deadLetters;

    InputDecoder(Decode<T> deserializer, RankerMetrics.Input input, BiFunction<String, T, Rejection> check,
                 BiFunction<T, byte[], GroupEvent> toEvent, MetricsEndpoint endpoint) {
        this.deserializer = deserializer;
        this.endpoint = endpoint;
        this.input = input;
        this.check = check;
        this.toEvent = toEvent;
    }

    @Override
    public void init(ProcessorContext<String, Object> context) {
        this.context = context;
        this.metrics = RankerMetrics.register(context.metrics(), endpoint);
        this.deadLetters = new DeadLetterRouter(context, metrics);
    }

    @Override
    public void process(Record<String, byte[]> record) {
        metrics.recordIn(input);
        byte[] raw = record.value();
        if (raw == null) {
            deadLetters.reject(record.key(), null, new Rejection(DeadLetterReason.UNDECODABLE,
                    "value is null (a tombstone); the " + input + " topic carries no tombstones"));
            return;
        }
        String topic = context.recordMetadata().map(m -> m.topic()).orElse(input.tag);
        T value;
        try {
            value = deserializer.decode(topic, record.headers(), raw);
        } catch (SchemaUnavailableException e) {
            // Same classification as every poll worker (DeadLetteringDecoder): not the record's fault, never dead-lettered.
            // A stream thread cannot wait minutes inside a transaction, so the instance stops instead and its open
            // transaction is aborted: a restart reprocesses from the last commit, nothing lost or doubled.
            throw new IllegalStateException("cannot decode " + input + " because the schema registry failed (not dead-lettering a record that may be good): "
                    + e.getMessage(), e);
        } catch (SerializationException e) {
            deadLetters.reject(record.key(), raw, new Rejection(DeadLetterReason.UNDECODABLE, e.getMessage()));
            return;
        }
        Rejection rejection = check.apply(record.key(), value);
        if (rejection != null) {
            deadLetters.reject(record.key(), raw, rejection);
            return;
        }
        context.forward(record.withValue(toEvent.apply(value, raw)), RankerTopology.ASSEMBLER);
    }
}
