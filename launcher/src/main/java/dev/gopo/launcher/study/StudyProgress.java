package dev.gopo.launcher.study;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The study's progress bar on stderr: cells done of all, elapsed time and ETA, the running cell as its message. */
final class StudyProgress {
    private StudyProgress() {
    }

    static ProgressBar bar(int cells, long alreadyDone) {
        return new ProgressBarBuilder()
                .setTaskName("study")
                .setInitialMax(cells)
                .setStyle(ProgressBarStyle.ASCII)
                .setUnit(" cells", 1)
                .setSpeedUnit(ChronoUnit.MINUTES)
                .setUpdateIntervalMillis(1000)
                .setConsumer(new ConsoleProgressBarConsumer(System.err))
                // Cells finished by an earlier run count as done; the ETA is measured from this run's cells.
                .startsFrom(alreadyDone, Duration.ZERO)
                .build();
    }
}
