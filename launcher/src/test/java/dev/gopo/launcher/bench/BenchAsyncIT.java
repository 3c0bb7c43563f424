package dev.gopo.launcher.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gopo.tasks.ModelSize;
import dev.gopo.tasks.PrepareSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code gopo bench-async} end to end with tiny models and two steps per run; checks what it reports, never how fast. */
class BenchAsyncIT {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void lockstepTrainsOnlyOnFreshGroupsAndAsyncOnGroupsWithinItsBound() throws Exception {
        PrepareSettings prepare = PrepareSettings.defaults().withModelSize(ModelSize.TINY).withSteps(60, 60).withSeed(3);
        // async: a version every 2 steps, bound 1, so its 2 steps train on 2 groups of staleness 0 and 2 of staleness 1
        AsyncBenchSettings settings = new AsyncBenchSettings(tmp.resolve("bench"), tmp.resolve("cache"), prepare, 2, 2, 4, 2, 1, 1, false,
                List.of(0L), OptionalDouble.empty(), 2, 4, 1, 1e-4, 0.04, 3);
        StringWriter text = new StringWriter();
        int code = new AsyncBenchmark(settings, new PrintWriter(text, true)).run();
        String out = text.toString();

        assertThat(code).as(out).isZero();
        assertThat(out).as(out).containsPattern("(?m)^lockstep\\s+0\\s+1\\s+every step\\s+.*\\s0:4$")
                .containsPattern("(?m)^async\\s+1\\s+2\\s+every 2\\s+.*\\s0:2 1:2$")
                .contains("async/lockstep: wall to 2 steps").contains("on separate machines async/lockstep speed-up");
        List<String> csv = Files.readAllLines(tmp.resolve("bench").resolve(AsyncBenchmark.CSV_FILE));
        assertThat(csv).hasSize(3);
        assertThat(csv.get(1)).startsWith("lockstep,0,true,2,").contains(",0:4,");
        assertThat(csv.get(2)).startsWith("async,1,false,2,").contains(",0:2 1:2,");
    }
}
