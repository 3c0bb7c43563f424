package dev.gopo.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: byte 0 is the magic byte {@code 0x00}, bytes 1-4 the big-endian
 * schema id assigned by the registry, the rest the Avro binary encoding of the value.
 */
public final class WireFormat {
    public static final byte MAGIC_BYTE = 0x0;
    public static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    /** Subject of a topic's values under the topic-name strategy. */
    public static String valueSubject(String topic) {
        return topic + "-value";
    }

    /** Subject of a topic's keys under the topic-name strategy. */
    public static String keySubject(String topic) {
        return topic + "-key";
    }

    /**
     * Reads and checks the 5-byte header and returns the schema id.
     *
     * @throws SerializationException naming the topic and what is wrong with the bytes
     */
    public static int readSchemaId(String topic, byte[] data) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("record on topic '" + topic + "' is " + data.length
                    + " bytes long, shorter than the 5-byte Confluent wire-format header (magic byte + schema id): truncated or not Avro");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "record on topic '%s' starts with byte 0x%02x, not the Confluent wire-format magic byte 0x00: it was not written by a schema-registry Avro serializer",
                    topic, data[0] & 0xff));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
