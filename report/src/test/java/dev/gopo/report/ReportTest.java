package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final Pattern IMG = Pattern.compile("<img src=\"([^\"]+)\" alt=\"([^\"]*)\">");

    @TempDir
    Path tmp;

    /** The image files index.html refers to, after checking each is a non-empty PNG next to it with alt text. */
    private static List<String> checkImages(Path index) throws IOException {
        String html = Files.readString(index);
        List<String> sources = new ArrayList<>();
        Matcher img = IMG.matcher(html);
        while (img.find()) {
            String src = img.group(1);
            assertThat(src).doesNotContain("/").endsWith(".png");
            assertThat(img.group(2)).isNotBlank();
            byte[] bytes = Files.readAllBytes(index.resolveSibling(src));
            assertThat(bytes.length).as(src).isGreaterThan(1000);
            assertThat(Arrays.copyOf(bytes, 8)).as(src).isEqualTo(PNG_SIGNATURE);
            sources.add(src);
        }
        assertThat(html.split("<img ", -1)).hasSize(sources.size() + 1);
        assertThat(sources).doesNotHaveDuplicates();
        return sources;
    }

    @Test
    void runReport() throws Exception {
        Path run = Fixtures.runDir(tmp.resolve("run"));

        Path index = Report.write(run);

        assertThat(index).isEqualTo(run.resolve("report/index.html"));
        List<String> images = checkImages(index);
        // 3 curves x 2 tasks, 5 learner curves (reward/mean and lag are not in the file), staleness, generators
        assertThat(images).hasSize(6 + 5 + 1 + 1).contains("run-summarise-win-rate.png", "learner-staleness-histogram.png");
        String html = Files.readString(index);
        assertThat(html).contains("<title>Run report: run</title>",
                "0.8125",                          // summarise's last validation reward
                "0.6875 [0.5625, 0.8125]",         // and its judge win rate with the interval
                "15 groups, mean staleness 1.2000 steps",
                "1234.5", "<td class=\"num\">87</td>", // generator-0 tokens/s, ranker p99
                "Dead letters by reason</h3>\n<p>none</p>",
                "Not in metrics.csv: reward/mean, lag/optimizer_steps.");
        assertThat(Files.list(index.getParent()).filter(p -> p.toString().endsWith(".partial"))).isEmpty();
    }

    @Test
    void runReportWithOnlyEvalCsvSaysWhatIsMissing() throws Exception {
        Path run = tmp.resolve("bare");
        Files.createDirectories(run);
        Files.writeString(run.resolve("eval.csv"), Fixtures.EVAL_HEADER + "\n"
                + Fixtures.evalLine("summarise", 0, 0, 0.25, 0.375, 0.5, 0.5, 0.5) + "\n" + "summarise,1,10,GOPO,4");

        Path index = Report.write(run);

        assertThat(checkImages(index)).hasSize(3);
        assertThat(Files.readString(index)).contains("No metrics.csv in this run directory", "No pipeline.csv in this run directory",
                "line 3: 5 fields instead of 19");
    }

    @Test
    void studyReport() throws Exception {
        Path study = Fixtures.studyDir(tmp.resolve("study"));

        Path index = Report.write(study);

        List<String> images = checkImages(index);
        // 2 modes x 2 transforms x 3 measures, and 2 modes x 2 estimators invariance overlays
        assertThat(images).hasSize(12 + 4).contains("study-online-power-3-summarise-validation-reward.png",
                "invariance-replay-summarise-gopo-power-3.png");
        String html = Files.readString(index);
        assertThat(html).contains(
                // GOPO at step 20: seeds 0.375, 0.5, 0.625 → 0.5 ± 4.3027 · 0.125/√3
                "0.5000 [0.1895, 0.8105] (3 seeds) at step 20",
                "0.3750 (1 seed) at step 20",
                "Seeds per estimator: GOPO 3 seeds, GRPO 1 seed. Where a point rests on 1 seed there is no interval",
                // steps to reach, online identity: GOPO reaches GRPO's final 0.375 at step 20, GRPO never reaches 0.5
                "<th>reaches GRPO&#39;s final 0.3750</th>", "<td>step 20</td>", "<td>not reached</td>",
                // power:3: GRPO's final is 0.25, which GOPO reaches at step 10
                "<th>reaches GRPO&#39;s final 0.2500</th>", "<td>step 10</td>",
                // invariance: GOPO's curves coincide, GRPO's differ by 0.125
                "<td>GOPO</td><td>power:3</td><td class=\"num\">3</td><td class=\"num\">0</td>", "<td>exactly 0, as expected</td>",
                "<td>GRPO</td><td>power:3</td><td class=\"num\">3</td><td class=\"num\">0.1250</td>",
                // head-to-head and the settings, escaped
                "0.3438 [0.2500, 0.4375]", "<td>learning_rate</td><td class=\"num\">3e-4</td>", "&lt;b&gt;bold&lt;/b&gt; &amp; co");
        assertThat(html.indexOf("Mode online")).isLessThan(html.indexOf("Mode replay"));
    }

    @Test
    void aSecondReportReplacesTheImagesOfTheFirst() throws Exception {
        Path run = Fixtures.runDir(tmp.resolve("run"));
        Path stale = Files.createDirectories(run.resolve("report")).resolve("run-deleted-task-win-rate.png");
        Files.write(stale, new byte[] {1});
        Report.write(run);
        assertThat(stale).doesNotExist();
        assertThat(checkImages(Report.write(run))).isNotEmpty();
    }

    @Test
    void aDirectoryWithoutResultsIsRefused() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> Report.write(empty)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(empty.toString()).hasMessageContaining("eval.csv").hasMessageContaining("study.csv");
        assertThatThrownBy(() -> Report.write(tmp.resolve("missing"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("missing").hasMessageContaining("not a directory");
        assertThat(empty.resolve("report")).doesNotExist();
    }
}
