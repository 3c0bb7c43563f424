package dev.gopo.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReadersTest {
    @TempDir
    Path tmp;

    private final List<String> notes = new ArrayList<>();

    private Path file(String name, String... lines) throws Exception {
        Path file = tmp.resolve(name);
        Files.writeString(file, String.join("\n", lines));
        return file;
    }

    @Test
    void readsEvalCsvWithEmptyFieldsAsNaN() throws Exception {
        Path file = file("eval.csv", Fixtures.EVAL_HEADER, Fixtures.evalLine("summarise", 3, 30, -0.5, 0.45, 0.625, 0.5, 0.75),
                "constrained,1,10,,4,2,0.25,,0.5,0.375,0.625,0.375,0.875,,,,,,1001", "");
        List<EvalRow> rows = EvalRow.read(file, notes);
        assertThat(rows).containsExactly(
                new EvalRow("summarise", 3, 30, "GOPO", -0.5, 0.25, 0.45, 0.375, 0.625, 0.5, 0.75),
                new EvalRow("constrained", 1, 10, "", 0.25, Double.NaN, 0.5, 0.375, 0.625, 0.375, 0.875));
        assertThat(notes).isEmpty();
    }

    @Test
    void columnsMayComeInAnotherOrder() throws Exception {
        Path file = file("metrics.csv", "name,value,step,policy_version,timestamp_ms", "loss/kl,0.0004,7,1,1000");
        assertThat(MetricRow.read(file, notes)).containsExactly(new MetricRow(7, "loss/kl", 0.0004));
    }

    @Test
    void aMissingColumnNamesTheFileAndTheColumn() throws Exception {
        Path file = file("metrics.csv", "step,policy_version,name,value", "1,0,loss/kl,0.1");
        assertThatThrownBy(() -> MetricRow.read(file, notes)).isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("timestamp_ms");
    }

    @Test
    void aTornLastLineIsSkippedWithANote() throws Exception {
        Path file = file("eval.csv", Fixtures.EVAL_HEADER, Fixtures.evalLine("summarise", 1, 10, 0.5, 0.4, 0.5, 0.4, 0.6),
                "summarise,2,20,GO");
        List<EvalRow> rows = EvalRow.read(file, notes);
        assertThat(rows).extracting(EvalRow::policyVersion).containsExactly(1L);
        assertThat(notes).singleElement().asString().contains(file.toString()).contains("line 3").contains("torn");
    }

    @Test
    void aTornLineEndedByTheEvaluatorBeforeItsNextRowIsSkippedToo() throws Exception {
        Path file = file("eval.csv", Fixtures.EVAL_HEADER, "summarise,1,1", Fixtures.evalLine("summarise", 2, 20, 0.5, 0.4, 0.5, 0.4, 0.6), "");
        assertThat(EvalRow.read(file, notes)).extracting(EvalRow::policyVersion).containsExactly(2L);
        assertThat(notes).singleElement().asString().contains("line 2");
    }

    @Test
    void aBadNumberNamesTheFileLineAndColumn() throws Exception {
        Path file = file("eval.csv", Fixtures.EVAL_HEADER, Fixtures.evalLine("summarise", 1, 10, 0.5, 0.4, 0.5, 0.4, 0.6),
                Fixtures.evalLine("summarise", 2, 20, 0.5, 0.4, 0.5, 0.4, 0.6).replace(",0.4,", ",zero,"));
        assertThatThrownBy(() -> EvalRow.read(file, notes)).isInstanceOf(MalformedCsvException.class)
                .hasMessage(file + " line 3: column 'gold_quality' is 'zero', not a number");
    }

    @Test
    void aRowWithTooManyFieldsIsAnError() throws Exception {
        Path file = file("pipeline.csv", "section,key,value", "run,steps,3,extra");
        assertThatThrownBy(() -> PipelineRow.read(file, notes)).isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining(file + " line 2");
    }

    @Test
    void pipelineValuesOfNumericSectionsMustBeNumbers() throws Exception {
        Path good = file("pipeline.csv", "section,key,value", "run,estimator,GOPO", "dead_letters,STALE_POLICY,3");
        assertThat(PipelineRow.read(good, notes)).containsExactly(new PipelineRow("run", "estimator", "GOPO"),
                new PipelineRow("dead_letters", "STALE_POLICY", "3"));
        Path bad = file("pipeline2.csv", "section,key,value", "ranker_latency_ms,p50,fast");
        assertThatThrownBy(() -> PipelineRow.read(bad, notes)).hasMessageContaining("line 2").hasMessageContaining("'fast'");
    }

    @Test
    void anEmptyFileHasNoHeader() throws Exception {
        Path file = file("metrics.csv");
        assertThatThrownBy(() -> MetricRow.read(file, notes)).isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("header");
    }

    @Test
    void studyCsvKeepsTheCellEstimatorApartFromTheEvalEstimatorColumn() throws Exception {
        Path file = file("study.csv", Fixtures.STUDY_HEADER,
                "replay,GRPO,power:3,7," + Fixtures.evalLine("summarise", "grpo-run", 2, 20, 0.5, 0.4, 0.5, 0.4, 0.6));
        StudyRow row = StudyRow.read(file, notes).get(0);
        assertThat(row.mode()).isEqualTo("replay");
        assertThat(row.estimator()).isEqualTo("GRPO");
        assertThat(row.transform()).isEqualTo("power:3");
        assertThat(row.seed()).isEqualTo(7);
        assertThat(row.eval().estimator()).isEqualTo("grpo-run");
        assertThat(row.eval().step()).isEqualTo(20);
    }

    @Test
    void studyCsvMustStartWithTheCellColumns() throws Exception {
        Path file = file("study.csv", "estimator,mode,transform,seed," + Fixtures.EVAL_HEADER);
        assertThatThrownBy(() -> StudyRow.read(file, notes)).isInstanceOf(MalformedCsvException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("mode,estimator,transform,seed");
        Path noEval = file("study2.csv", "mode,estimator,transform,seed,task,step");
        assertThatThrownBy(() -> StudyRow.read(noEval, notes)).hasMessageContaining("validation_reward");
    }

    @Test
    void headToHeadRows() throws Exception {
        Path file = file("head-to-head.csv", String.join(",", HeadToHeadRow.COLUMNS),
                "online,identity,summarise,GRPO,GOPO,40,8,80,0.34375,0.25,0.4375,128,3");
        assertThat(HeadToHeadRow.read(file, notes)).containsExactly(new HeadToHeadRow("online", "identity", "summarise", "GRPO",
                "GOPO", 40, 8, 80, 0.34375, 0.25, 0.4375, 128, 3));
    }
}
