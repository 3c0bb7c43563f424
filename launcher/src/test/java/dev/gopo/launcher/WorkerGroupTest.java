package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** A failing worker ends the run with its error and name; it must not leave the others (and the run) waiting. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WorkerGroupTest {

    /** Waits for groups until stopped, as the learner does: without the group it would wait forever. */
    private static void waitForGroupsUntilStopped(AtomicBoolean stop, AtomicBoolean returned) throws InterruptedException {
        while (!stop.get()) {
            Thread.sleep(10);
        }
        returned.set(true);
    }

    @Test
    void firstFailureEndsTheRunNamingTheWorkerAndStopsTheOthers() throws Exception {
        AtomicBoolean learnerReturned = new AtomicBoolean();
        AtomicBoolean evaluatorReturned = new AtomicBoolean();
        CountDownLatch learnerStarted = new CountDownLatch(1);
        Future<?> learning;
        try (WorkerGroup workers = new WorkerGroup("test", Duration.ofSeconds(10))) {
            learning = workers.submit("learner", stop -> {
                learnerStarted.countDown();
                waitForGroupsUntilStopped(stop, learnerReturned);
            });
            workers.submit("evaluator", stop -> waitForGroupsUntilStopped(stop, evaluatorReturned));
            learnerStarted.await();
            workers.submit("generator-1", stop -> {
                throw new IOException("reward model directory /nowhere/summarise does not exist");
            });

            assertThatThrownBy(() -> workers.awaitFirstFailure(learning::isDone, Duration.ofDays(1)))
                    .isInstanceOf(WorkerGroup.WorkerFailedException.class)
                    .hasMessage("worker generator-1 failed: reward model directory /nowhere/summarise does not exist")
                    .hasCauseInstanceOf(IOException.class);
            assertThat(workers.stopRequested()).isTrue();
        }
        assertThat(learning).isDone();
        assertThat(learnerReturned).isTrue();
        assertThat(evaluatorReturned).isTrue();
    }

    @Test
    void onlyTheFirstFailureIsReported() throws Exception {
        CountDownLatch firstFailed = new CountDownLatch(1);
        try (WorkerGroup workers = new WorkerGroup("test", Duration.ofSeconds(10))) {
            workers.submit("ranker", stop -> {
                try {
                    throw new IllegalStateException("streams died");
                } finally {
                    firstFailed.countDown();
                }
            });
            firstFailed.await();
            workers.submit("generator-0", stop -> {
                throw new IllegalStateException("later");
            });
            assertThatThrownBy(() -> workers.awaitFirstFailure(() -> false, Duration.ofDays(1)))
                    .hasMessage("worker ranker failed: streams died");
        }
    }

    @Test
    void returnsWhenFinishedAndFalseWhenStopped() throws Exception {
        try (WorkerGroup workers = new WorkerGroup("test", Duration.ofSeconds(10))) {
            Future<?> quick = workers.submit("learner", stop -> { });
            assertThat(workers.awaitFirstFailure(quick::isDone, Duration.ofSeconds(20))).isTrue();
            assertThat(workers.awaitFirstFailure(() -> false, Duration.ofMillis(200))).isFalse();
            workers.stop();
            assertThat(workers.awaitFirstFailure(() -> false, Duration.ofDays(1))).isFalse();
        }
    }

    @Test
    void aWorkerThatIgnoresStopIsInterruptedOnClose() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        WorkerGroup workers = new WorkerGroup("test", Duration.ofMillis(300));
        workers.submit("stubborn", stop -> {
            try {
                new CountDownLatch(1).await();
            } finally {
                interrupted.countDown();
            }
        });
        workers.close();
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
    }

    @Command(name = "fails")
    static final class FailingRun implements java.util.concurrent.Callable<Integer> {
        @Override
        public Integer call() throws Exception {
            try (WorkerGroup workers = new WorkerGroup("test", Duration.ofSeconds(10))) {
                Future<?> learning = workers.submit("learner", stop -> waitForGroupsUntilStopped(stop, new AtomicBoolean()));
                workers.submit("generator-0", stop -> {
                    throw new IOException("cannot read the policy");
                });
                workers.awaitFirstFailure(learning::isDone, Duration.ofDays(1));
            }
            return 0;
        }
    }

    @Test
    void theCommandLineShowsTheWorkersErrorAndExitsNonZero() {
        CommandLine cli = Gopo.commandLine();
        cli.addSubcommand(new FailingRun());
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute("fails")).isEqualTo(1);
        assertThat(err.toString()).contains("error: worker generator-0 failed: cannot read the policy");
    }
}
