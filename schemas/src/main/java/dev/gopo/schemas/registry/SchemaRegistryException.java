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

    /** True when the registry could not be reached at all. */
    public boolean isUnreachable() {
        return httpStatus == -1;
    }

    /** True when the registry refused the credentials (401) or the user's rights (403): retrying cannot help. */
    public boolean isAuthenticationFailure() {
        return httpStatus == 401 || httpStatus == 403;
    }
}
