package dev.gopo.platform;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * picocli converter for the {@link Durations} syntax ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, plain seconds).
 * Registered for {@link Duration} on the root {@code gopo} command line, and named on each Duration option so that a
 * worker command parsed on its own reads the same syntax.
 */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        try {
            return Durations.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
