package dev.gopo.policy.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The one Jackson mapper of this module: pretty, strict about unknown keys. */
public final class Json {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Json() {}

    /** Atomically writes {@code value} as JSON to {@code file}. */
    public static void write(Path file, Object value) throws IOException {
        AtomicFiles.write(file, MAPPER.writeValueAsBytes(value));
    }

    /** Reads {@code file} as a {@code type}; a validation failure names the file. */
    public static <T> T read(Path file, Class<T> type) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("missing file " + file.toAbsolutePath());
        }
        try {
            return MAPPER.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new IOException("cannot read " + type.getSimpleName() + " from " + file.toAbsolutePath()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Serialises {@code value} to a JSON string. */
    public static String toString(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses a JSON string produced by {@link #toString(Object)}. */
    public static <T> T fromString(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }
}
