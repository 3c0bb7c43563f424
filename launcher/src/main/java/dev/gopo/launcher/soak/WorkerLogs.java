package dev.gopo.launcher.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What an operator sees in the workers' logs: their WARN and ERROR lines, the {@code error:} line of a command that
 * fails, and the INFO lines that say the broker or the
 * registry is {@value #RECOVERED}, told apart by message with the numbers, ids and Kafka client names masked, and
 * counted, most frequent first.
 */
final class WorkerLogs {
    /** What {@code mask} replaces, compiled once: it runs for every WARN/ERROR line, thousands during a broker outage. */
    private static final Pattern CLIENT_PREFIX = Pattern.compile("^\\[[^]]*] ");
    private static final Pattern GROUP_ADDRESS = Pattern.compile("[\\w.-]+@[\\w.-]+");
    private static final Pattern HEX = Pattern.compile("\\b(?=[0-9a-f]*[a-f])[0-9a-f]{6,}\\b");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    /** {@code HH:mm:ss.SSS LEVEL [thread] logger - message}: the launcher's logback pattern (the thread is absent in tests'). */
    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} (WARN|ERROR|INFO) +(?:\\[[^]]*] )?(\\S+) - (.*)$");
    private static final int MAX_MESSAGE = 170;
    /** The INFO line with which a worker says that the broker or the registry is back (BrokerWatch, DeadLetteringDecoder). */
    static final String RECOVERED = "reachable again";
    /** How a {@code gopo} command that fails prints its error before it exits with code 1 ({@code Gopo}'s handler). */
    private static final String EXIT_PREFIX = "error: ";
    /** The logger column of such a line in the report. */
    static final String EXIT_LOGGER = "gopo (exit 1)";

    private WorkerLogs() {
    }

    /** One kind of line: its level, logger, masked message and how often it appeared. */
    record Kind(String level, String logger, String message, int count) {
        /** Logged by the pipeline's own code (logback abbreviates {@code dev.gopo} to {@code d.g.}), not by a Kafka client. */
        boolean ours() {
            return logger.equals(EXIT_LOGGER) || logger.startsWith("d.g.") || logger.startsWith("dev.gopo.") || logger.startsWith("d.gopo.");
        }
    }

    /** The kinds of WARN/ERROR lines in {@code logs}, most frequent first. */
    static List<Kind> kinds(Collection<Path> logs) throws IOException {
        Map<String, int[]> counts = new LinkedHashMap<>();
        Map<String, String[]> parts = new LinkedHashMap<>();
        for (Path log : logs) {
            if (!Files.exists(log)) {
                continue;
            }
            for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                if (line.startsWith(EXIT_PREFIX)) {
                    String message = mask(line.substring(EXIT_PREFIX.length()));
                    String key = "EXIT " + message;
                    counts.computeIfAbsent(key, k -> new int[1])[0]++;
                    parts.putIfAbsent(key, new String[] {"ERROR", EXIT_LOGGER, message});
                    continue;
                }
                Matcher m = LINE.matcher(line);
                if (!m.matches() || m.group(1).equals("INFO") && !m.group(3).contains(RECOVERED)) {
                    continue;
                }
                String message = mask(m.group(3));
                String key = m.group(1) + " " + m.group(2) + " " + message;
                counts.computeIfAbsent(key, k -> new int[1])[0]++;
                parts.putIfAbsent(key, new String[] {m.group(1), m.group(2), message});
            }
        }
        List<Kind> kinds = new ArrayList<>();
        counts.forEach((key, n) -> {
            String[] p = parts.get(key);
            kinds.add(new Kind(p[0], p[1], p[2], n[0]));
        });
        kinds.sort((a, b) -> Integer.compare(b.count(), a.count()));
        return kinds;
    }

    static String mask(String message) {
        // group ids (prompt id @ coordinates) and hex ids vary per record; what is left tells the kinds apart
        String masked = CLIENT_PREFIX.matcher(message).replaceFirst("[client] ");
        masked = GROUP_ADDRESS.matcher(masked).replaceAll("<group>");
        masked = HEX.matcher(masked).replaceAll("<hex>");
        masked = NUMBER.matcher(masked).replaceAll("#");
        return masked.length() > MAX_MESSAGE ? masked.substring(0, MAX_MESSAGE) + "…" : masked;
    }
}
