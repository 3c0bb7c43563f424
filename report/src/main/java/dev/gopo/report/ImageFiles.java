package dev.gopo.report;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The PNG files of one report, in its directory. File names are made from the chart's labels
 * ({@code online power:3 summarise} → {@code online-power-3-summarise.png}), made unique when two
 * labels fold to the same name, so the page can refer to each by a bare relative name.
 */
final class ImageFiles {
    private final Path dir;
    private final Set<String> used = new HashSet<>();

    ImageFiles(Path dir) {
        this.dir = dir;
    }

    /** Writes {@code chart} as a PNG named after {@code labels}; returns its file name. */
    String save(Chart<?, ?> chart, String... labels) throws IOException {
        String base = slug(String.join("-", labels));
        String name = base + ".png";
        for (int i = 2; !used.add(name); i++) {
            name = base + "-" + i + ".png";
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
            BitmapEncoder.saveBitmap(chart, out, BitmapFormat.PNG);
        }
        return name;
    }

    /** Lower-case letters, digits and single dashes; {@code chart} when nothing is left. */
    static String slug(String text) {
        String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        return slug.isEmpty() ? "chart" : slug;
    }
}
