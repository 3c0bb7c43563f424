package dev.gopo.evaluator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.avro.EvaluationResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvalCsvTest {
    @TempDir
    Path tmp;

    private static EvalRow row(String task, long version) {
        EvaluationResult result = EvaluationResult.newBuilder().setPolicyVersion(version).setStep(version * 10).setTask(task)
                .setNumPrompts(4).setValidationReward(0.25).setWinRate(0.625).setWinRateCiLow(0.375).setWinRateCiHigh(0.875)
                .setSamplesPerPrompt(2).setGoldQuality(0.5).setReferenceGoldQuality(0.375).setEvaluatedAtMs(1000L + version).build();
        return new EvalRow(result, "GOPO", 0.125, 2, 1, 1, 9.5, "abc");
    }

    @Test
    void writesTheHeaderOnceAndOneRowPerEvaluation() throws Exception {
        EvalCsv csv = new EvalCsv(tmp.resolve("sub/eval.csv"));
        assertThat(csv.keys()).isEmpty();
        csv.append(row("summarise", 0));
        csv.append(row("summarise", 1));
        csv.append(EvalRow.of(row("constrained", 1).result()));

        List<String> lines = Files.readAllLines(csv.file());
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo(String.join(",", EvalRow.COLUMNS));
        assertThat(lines.get(2)).isEqualTo("summarise,1,10,GOPO,4,2,0.25,0.125,0.5,0.375,0.625,0.375,0.875,2,1,1,9.5,abc,1001");
        // Rebuilt from eval-results: the CSV-only columns are empty; the published ones (gold qualities too) are kept.
        assertThat(lines.get(3)).isEqualTo("constrained,1,10,,4,2,0.25,,0.5,0.375,0.625,0.375,0.875,,,,,,1001");
        assertThat(csv.keys()).containsExactly("summarise:0", "summarise:1", "constrained:1");
    }

    @Test
    void aTornLastLineIsSkippedAndDoesNotSwallowTheNextRow() throws Exception {
        EvalCsv csv = new EvalCsv(tmp.resolve("eval.csv"));
        csv.append(row("summarise", 0));
        Files.writeString(csv.file(), "summarise,1,10,GO", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(csv.keys()).containsExactly("summarise:0");
        csv.append(row("summarise", 2));
        assertThat(csv.keys()).containsExactly("summarise:0", "summarise:2");
    }

    @Test
    void refusesAFileWithOtherColumns() throws Exception {
        Path file = tmp.resolve("other.csv");
        Files.writeString(file, "a,b\n1,2\n");
        assertThatThrownBy(() -> new EvalCsv(file).keys()).hasMessageContaining("--out").hasMessageContaining("columns");
    }
}
