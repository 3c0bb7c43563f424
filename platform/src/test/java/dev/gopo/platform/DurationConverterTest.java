package dev.gopo.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DurationConverterTest {
    private final DurationConverter converter = new DurationConverter();

    @Test
    void unitsAndPlainSeconds() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(converter.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("0")).isEqualTo(Duration.ZERO);
        assertThat(converter.convert(" 5M ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void badInputSaysWhatToWrite() {
        for (String bad : new String[] {"", "five", "5 min", "-3s", "1.5s", "5x", "99999999999999999999"}) {
            assertThatThrownBy(() -> converter.convert(bad)).as(bad)
                    .isInstanceOf(TypeConversionException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> converter.convert("5x")).hasMessageContaining("e.g. 500ms, 30s, 5m, 1h, or plain seconds like 30");
    }

    @Test
    void formatIsTheShortForm() {
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.parse(Durations.format(Duration.ofHours(3)))).isEqualTo(Duration.ofHours(3));
    }

    @Command(name = "x")
    static class WithTimeout {
        @Option(names = "--timeout", defaultValue = "0")
        Duration timeout;
    }

    @Test
    void registeredOnACommandLine() {
        WithTimeout options = new WithTimeout();
        CommandLine cli = new CommandLine(options).registerConverter(Duration.class, new DurationConverter());
        cli.parseArgs("--timeout", "5m");
        assertThat(options.timeout).isEqualTo(Duration.ofMinutes(5));
        assertThatThrownBy(() -> cli.parseArgs("--timeout", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--timeout").hasMessageContaining("'soon' is not a duration");
    }
}
