package dev.gopo.schemas.registry;

/**
 * A schema-registry call failed. The message always names the registry URL, the request and,
 * when the registry answered, its HTTP status, Confluent error code and its own explanation.
 */
public class SchemaRegistryException extends RuntimeException {
    private final int httpStatus;
    private final int errorCode;

    public SchemaRegistryException(String message, int httpStatus, int errorCode, Throwable cause) {
        super(message, cause);
        this.httpStatus = httpStatus;
        this.errorCode = errorCode;
    }

    /** HTTP status the registry answered with, or -1 when it could not be reached. */
    public int httpStatus() {
        return httpStatus;
    }

    /** Confluent error code from the response body (e.g. 40401 subject not found, 40403 schema not found), or -1. */
    public int errorCode() {
        return errorCode;
    }

    /** True when the registry rejected a schema because it breaks the subject's compatibility level. */
    public boolean isIncompatible() {
        return httpStatus == 409;
    }

    /** True when the registry could not be reached at all (connection refused, connect or request timeout). */
    public boolean isUnreachable() {
        return httpStatus == -1 && !(getCause() instanceof InterruptedException);
    }

    /**
     * True when the same request may succeed later: the registry was unreachable or timed out, or answered 5xx
     * (down, restarting, its storage away), 408 or 429. A 4xx such as 404 (no such schema) or 401/403 will not change
     * by waiting. An interrupted call is not transient: the caller is being stopped.
     */
    public boolean isTransient() {
        return isUnreachable() || httpStatus / 100 == 5 || httpStatus == 408 || httpStatus == 429;
    }

    /** True when the registry refused the credentials (401) or the user's rights (403): retrying cannot help. */
    public boolean isAuthenticationFailure() {
        return httpStatus == 401 || httpStatus == 403;
    }
}
