package dev.gopo.schemas.serde;

/** A consumed record could not be decoded; the message names topic, partition and offset. */
public final class RecordDecodeException extends RuntimeException {
    private final String topic;
    private final int partition;
    private final long offset;

    public RecordDecodeException(String topic, int partition, long offset, String message, Throwable cause) {
        super("cannot decode record " + topic + "-" + partition + "@" + offset + ": " + message, cause);
        this.topic = topic;
        this.partition = partition;
        this.offset = offset;
    }

    public String topic() {
        return topic;
    }

    public int partition() {
        return partition;
    }

    public long offset() {
        return offset;
    }
}
