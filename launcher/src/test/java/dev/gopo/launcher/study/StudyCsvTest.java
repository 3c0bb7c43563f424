package dev.gopo.launcher.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.evaluator.EvalRow;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StudyCsvTest {
    @TempDir
    Path tmp;

    @Test
    void prefixesEveryEvalRowWithItsCellInGridOrder() throws Exception {
        String header = String.join(",", EvalRow.COLUMNS);
        String row = "summarise,1,10,GOPO,8,2,0.5,0.4,0.6,0.55,0.52,0.45,0.6,5,2,3,20.0,abc,123";
        Path a = Files.writeString(tmp.resolve("a.csv"), header + "\n" + row + "\n");
        Path b = Files.writeString(tmp.resolve("b.csv"), header + "\n" + row.replace(",GOPO,", ",GRPO,") + "\nsummarise,2,20\n");
        Map<Cell, Path> cells = new LinkedHashMap<>();
        cells.put(new Cell(StudyMode.REPLAY, Estimator.GOPO, "power:3", 7), a);
        cells.put(new Cell(StudyMode.ONLINE, Estimator.GRPO, "identity", 42), b);
        Path out = tmp.resolve("study.csv");
        StudyCsv.write(cells, out);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines.get(0)).isEqualTo("mode,estimator,transform,seed," + header);
        assertThat(lines.get(1)).isEqualTo("replay,GOPO,power:3,7," + row);
        assertThat(lines.get(2)).isEqualTo("online,GRPO,identity,42," + row.replace(",GOPO,", ",GRPO,"));
        assertThat(lines).as("a torn row is left out").hasSize(3);
    }

    @Test
    void anotherToolsCsvIsAClearError() throws Exception {
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "a,b\n1,2\n");
        assertThatThrownBy(() -> StudyCsv.write(Map.of(new Cell(StudyMode.ONLINE, Estimator.GOPO, "identity", 1), bad), tmp.resolve("s.csv")))
                .hasMessageContaining("bad.csv has columns [a, b]");
    }
}
