package dev.gopo.schemas.serde;

import dev.gopo.schemas.registry.SchemaRegistryException;

/**
 * A record's writer schema could not be fetched for a reason that is not the record's fault: the registry is
 * unreachable, timed out, answered 5xx or 429 ({@link #isTransient()}), or refused the request for another reason
 * than "no such schema" (e.g. 401/403, a client misconfiguration). The record may well be good, so it must not be
 * dead-lettered: wait and retry when transient, otherwise stop without committing past it.
 *
 * <p>Deliberately not a {@code SerializationException}: that type means "these bytes are bad", and everything that
 * catches it (the decoders, the ranker) dead-letters. A writer schema id that the registry does not know (HTTP 404) is
 * bad input and stays a {@code SerializationException}.
 */
public final class SchemaUnavailableException extends RuntimeException {
    private final int schemaId;
    private final boolean isTransient;

    public SchemaUnavailableException(String message, int schemaId, SchemaRegistryException cause) {
        super(message, cause);
        this.schemaId = schemaId;
        this.isTransient = cause.isTransient();
    }

    public int schemaId() {
        return schemaId;
    }

    /** True when retrying later can succeed (unreachable, timeout, 5xx, 429); false for e.g. 401/403. */
    public boolean isTransient() {
        return isTransient;
    }
}
