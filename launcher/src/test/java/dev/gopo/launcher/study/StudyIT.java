package dev.gopo.launcher.study;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.PrepareSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gopo study} end to end at {@code --quick} size and below (tiny model, a few steps): online and replay cells of
 * GOPO and GRPO with and without a strictly increasing transform, on a real embedded broker and registry; then the
 * head-to-head and the report; then a second run that resumes and finds everything done.
 */
class StudyIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES)
    void runsTheGridReportsAndResumes() throws Exception {
        StudySettings settings = new StudySettings(List.of(StudyMode.ONLINE, StudyMode.REPLAY), List.of(Estimator.GOPO, Estimator.GRPO),
                List.of("identity", "power:3"), List.of(5L),
                PrepareSettings.defaults().withModelSize(ModelSize.TINY).withSteps(60, 60).withSeed(3), 4, 3, 4, 2, 1e-3, 0.04, 8, 4, 1, 1, 4);
        Path study = tmp.resolve("study");
        StringWriter text = new StringWriter();
        int code = new StudyRunner(settings, study, tmp.resolve("cache"), new PrintWriter(text, true)).run();
        String log = text.toString();
        assertThat(code).as(log).isZero();

        List<String> rows = Files.readAllLines(study.resolve("study.csv"));
        for (Cell cell : settings.cells()) {
            // Versions 0, 1 and 2, both tasks.
            assertThat(rows.stream().filter(r -> r.startsWith(cell.mode().label() + "," + cell.estimator() + "," + cell.transform() + ",5,")))
                    .as(cell + "\n" + log).hasSize(6);
            assertThat(study.resolve("cells").resolve(cell.id()).resolve("metrics.csv")).isNotEmptyFile();
        }
        // Replayed on identical rollouts, GOPO's ranks (so its updates and weights) cannot see a strictly increasing transform.
        assertThat(sha(study, new Cell(StudyMode.REPLAY, Estimator.GOPO, "power:3", 5)))
                .isEqualTo(sha(study, new Cell(StudyMode.REPLAY, Estimator.GOPO, "identity", 5)));
        assertThat(sha(study, new Cell(StudyMode.REPLAY, Estimator.GRPO, "power:3", 5)))
                .isNotEqualTo(sha(study, new Cell(StudyMode.REPLAY, Estimator.GRPO, "identity", 5)));

        List<String> headToHead = Files.readAllLines(study.resolve("head-to-head.csv"));
        assertThat(headToHead.get(0)).isEqualTo(String.join(",", HeadToHead.COLUMNS));
        assertThat(headToHead).hasSize(1 + 2 * 2 * 2);
        assertThat(headToHead.subList(1, headToHead.size())).allMatch(r -> r.contains(",GRPO,GOPO,"));

        Path html = study.resolve("report/index.html");
        String page = Files.readString(html);
        Matcher images = Pattern.compile("<img src=\"([^\"]+)\"").matcher(page);
        int count = 0;
        while (images.find()) {
            Path png = html.resolveSibling(images.group(1));
            assertThat(png).as(images.group(1)).isNotEmptyFile();
            byte[] head = Files.readAllBytes(png);
            assertThat(head[1] == 'P' && head[2] == 'N' && head[3] == 'G').as(png + " is a PNG").isTrue();
            count++;
        }
        assertThat(count).as(page).isGreaterThan(3);

        // A second run resumes: every cell is done, nothing is trained again.
        StringWriter again = new StringWriter();
        assertThat(new StudyRunner(settings, study, tmp.resolve("cache"), new PrintWriter(again, true)).run()).isZero();
        assertThat(again.toString()).contains("8 cells (8 done before)").doesNotContain("cell 1/8");
    }

    private static String sha(Path study, Cell cell) throws Exception {
        return Files.readString(study.resolve("cells").resolve(cell.id()).resolve("final-policy").resolve("weights.sha256")).trim();
    }
}
