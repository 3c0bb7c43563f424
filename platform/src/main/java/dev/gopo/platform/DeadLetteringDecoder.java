package dev.gopo.platform;

import dev.gopo.schemas.serde.RecordDecodeException;
import dev.gopo.schemas.serde.RecordDecoder;
import dev.gopo.schemas.serde.SchemaUnavailableException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes a consumed record or dead-letters it: the step every worker takes first with each record
 * it reads. A record that cannot be decoded (a tombstone, bytes that are not Confluent-wire-format
 * Avro for the topic's type, an unknown schema id) goes to the sink as
 * {@link DeadLetterReason#UNDECODABLE}, with the {@link RecordDecodeException}'s message (which names
 * topic, partition and offset) as detail, and the worker moves on to the next record instead of
 * stopping its consumer.
 *
 * <p>A writer schema that cannot be fetched because the registry is unreachable (or answers 5xx, times out) is not
 * the record's fault, and the record is never dead-lettered for it: {@link #decode} waits and retries the same record,
 * with one log line when the outage starts, one every {@link #STILL_WAITING_EVERY} and one when it ends. It gives up
 * after {@code registryTimeout} (0 = never) or when the worker is asked to stop, by throwing
 * {@link RegistryUnavailableException}: the worker then stops without committing past the record, and a restart reads
 * it again. A registry that refuses for good (401/403) throws at once, for the same reason.
 *
 * @param <V> the topic's value type
 */
public final class DeadLetteringDecoder<V> {
    private static final Logger log = LoggerFactory.getLogger(DeadLetteringDecoder.class);
    static final Duration FIRST_RETRY = Duration.ofMillis(500);
    static final Duration MAX_RETRY = Duration.ofSeconds(5);
    static final Duration STILL_WAITING_EVERY = Duration.ofSeconds(30);

    private final RecordDecoder<V> decoder;
    private final DeadLetterSink deadLetters;
    private final Duration registryTimeout;
    private volatile BooleanSupplier stopRequested = () -> false;
    private volatile boolean waitingForRegistry;

    /**
     * @param deserializer    the topic's value deserializer, e.g. {@code topics.prompts().valueSerde().deserializer()}
     * @param deadLetters     where undecodable records go, usually the worker's {@link RecordPublisher}
     * @param registryTimeout how long to wait for an unreachable registry before giving up; zero waits forever
     */
    public DeadLetteringDecoder(Deserializer<V> deserializer, DeadLetterSink deadLetters, Duration registryTimeout) {
        this.decoder = new RecordDecoder<>(deserializer);
        this.deadLetters = deadLetters;
        this.registryTimeout = registryTimeout;
    }

    /** With the default registry timeout, {@link ClusterOptions#DEFAULT_REGISTRY_TIMEOUT}. */
    public DeadLetteringDecoder(Deserializer<V> deserializer, DeadLetterSink deadLetters) {
        this(deserializer, deadLetters, ClusterOptions.DEFAULT_REGISTRY_TIMEOUT);
    }

    /** Makes a wait for the registry end (with {@link RegistryUnavailableException}) as soon as {@code stop} says so. */
    public DeadLetteringDecoder<V> stopWaitingWhen(BooleanSupplier stop) {
        this.stopRequested = stop;
        return this;
    }

    /** Whether a {@link #decode} call is waiting for the schema registry right now (for progress lines and tests). */
    public boolean isWaitingForRegistry() {
        return waitingForRegistry;
    }

    /**
     * The record's value, or empty when it could not be decoded and was dead-lettered.
     *
     * @throws RegistryUnavailableException when the registry stayed unreachable for the timeout, the worker was asked
     *     to stop while waiting, or the registry refuses for good; the record was not dead-lettered
     */
    public Optional<V> decode(ConsumerRecord<String, byte[]> record) {
        long startNanos = 0;
        Instant since = null;
        long lastLogNanos = 0;
        Duration pause = FIRST_RETRY;
        while (true) {
            try {
                V value = decoder.decode(record);
                waitingForRegistry = false;
                if (since != null) {
                    log.info("schema registry reachable again after {}: decoded {} and carrying on", elapsed(startNanos), coordinates(record));
                }
                return Optional.of(value);
            } catch (RecordDecodeException e) {
                waitingForRegistry = false;
                deadLetters.deadLetter(record, DeadLetterReason.UNDECODABLE, e.getMessage());
                return Optional.empty();
            } catch (SchemaUnavailableException e) {
                if (!e.isTransient()) {
                    waitingForRegistry = false;
                    throw new RegistryUnavailableException("cannot decode " + coordinates(record) + " because the schema registry "
                            + "refuses to give its writer schema (not the record's fault, so it is not dead-lettered; stopping "
                            + "without committing past it): " + e.getMessage() + ". Check --registry-url and its credentials", e);
                }
                if (since == null) {
                    since = Instant.now();
                    startNanos = System.nanoTime();
                    lastLogNanos = startNanos;
                    waitingForRegistry = true;
                    log.warn("schema registry unreachable since {}: cannot fetch writer schema id {} of {}. Not dead-lettering a record "
                            + "that may be good: waiting and retrying {}. Cause: {}", since, e.schemaId(), coordinates(record),
                            registryTimeout.isZero() ? "until it is back (--registry-timeout 0)"
                                    : "for up to " + Durations.format(registryTimeout) + " (--registry-timeout)", e.getMessage());
                } else if (System.nanoTime() - lastLogNanos >= STILL_WAITING_EVERY.toNanos()) {
                    lastLogNanos = System.nanoTime();
                    log.warn("schema registry still unreachable (since {}, {}): {} waits to be decoded", since, elapsed(startNanos),
                            coordinates(record));
                }
                if (!registryTimeout.isZero() && System.nanoTime() - startNanos >= registryTimeout.toNanos()) {
                    waitingForRegistry = false;
                    throw new RegistryUnavailableException("schema registry unreachable since " + since + " (" + elapsed(startNanos)
                            + ", --registry-timeout " + Durations.format(registryTimeout) + "): stopping without committing past "
                            + coordinates(record) + ", which is not dead-lettered; restart this worker once the registry is back "
                            + "and it reads the record again", e);
                }
                if (stopRequested.getAsBoolean()) {
                    waitingForRegistry = false;
                    throw new RegistryUnavailableException("asked to stop while waiting for the schema registry (unreachable since "
                            + since + "): stopping without committing past " + coordinates(record) + ", which a restart reads again", e);
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    waitingForRegistry = false;
                    throw new RegistryUnavailableException("interrupted while waiting for the schema registry to decode "
                            + coordinates(record) + "; not committed past it", e);
                }
                pause = pause.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : pause.multipliedBy(2);
            }
        }
    }

    private static String coordinates(ConsumerRecord<?, ?> record) {
        return "record " + record.topic() + "-" + record.partition() + "@" + record.offset();
    }

    private static String elapsed(long startNanos) {
        return Durations.format(Duration.ofSeconds(Math.max(1, (System.nanoTime() - startNanos) / 1_000_000_000)));
    }

    /** The schema registry stayed unreachable (or refuses): the worker stops without committing past the record. */
    public static final class RegistryUnavailableException extends RuntimeException {
        RegistryUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
