package dev.gopo.launcher.soak;

import dev.gopo.platform.DurationConverter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gopo soak}: the pipeline as separate worker processes, killed and restarted at random, every group accounted for. */
@Command(name = "soak", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Soak test: start the embedded broker and registry, prepare (or reuse) tiny reference models, run every worker as",
                "its own process (2 generators with external rewards, 2 rankers of one application, 1 learner, 1 reward producer),",
                "feed prompts, and kill -9 a random worker at random intervals (seeded), restarting it with the same arguments.",
                "Optionally restart the broker (kept data, same port) and stop the registry for a while.",
                "At the end every group of the fed prompts is accounted for: trained once (the learner's checkpoint ledger),",
                "dead-lettered with a reason, or still pending. Exit code 1 when a group was lost or trained/emitted twice,",
                "2 when the faults or the drain did not complete in time. The report is also written to WORK-DIR/soak-report.txt."})
public final class SoakCommand implements Callable<Integer> {
    @Option(names = "--work-dir", defaultValue = "gopo-work/soak",
            description = "Broker data, worker logs, checkpoints and the report; cleared at the start if an earlier run made it. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Option(names = "--cache-dir", defaultValue = "gopo-work/cache", description = "Prepare cache (tiny models are added to it). Default: ${DEFAULT-VALUE}")
    Path cacheDir;

    @Option(names = "--sft-steps", defaultValue = "60", description = "Warm-start steps of the tiny reference policy. Default: ${DEFAULT-VALUE}")
    int sftSteps;

    @Option(names = "--rm-steps", defaultValue = "60", description = "Steps of each tiny reward model. Default: ${DEFAULT-VALUE}")
    int rmSteps;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the fault plan, the models and the prompts. Default: ${DEFAULT-VALUE}")
    long seed;

    @Option(names = "--kills", defaultValue = "20", description = "Worker kills (kill -9), each followed by a restart. Default: ${DEFAULT-VALUE}")
    int kills;

    @Option(names = "--min-pause", defaultValue = "5s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Shortest pause before a fault. Default: ${DEFAULT-VALUE}")
    Duration minPause;

    @Option(names = "--max-pause", defaultValue = "15s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Longest pause before a fault. Default: ${DEFAULT-VALUE}")
    Duration maxPause;

    @Option(names = "--broker-restarts", defaultValue = "0",
            description = "Times to stop the broker (keeping its data and port) and start it again, between kills. Default: ${DEFAULT-VALUE}")
    int brokerRestarts;

    @Option(names = "--registry-outages", defaultValue = "0",
            description = "Times to stop the schema registry and start it again on the same port with its stored schemas. Default: ${DEFAULT-VALUE}")
    int registryOutages;

    @Option(names = "--outage", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "How long the broker or the registry stays down. Default: ${DEFAULT-VALUE}")
    Duration outage;

    @Option(names = "--prompts", defaultValue = "240", description = "Prompts fed in total (one group each). Default: ${DEFAULT-VALUE}")
    int prompts;

    @Option(names = "--feed-batches", defaultValue = "12", description = "Batches the prompts are fed in ('gopo feed-prompts' each). Default: ${DEFAULT-VALUE}")
    int feedBatches;

    @Option(names = "--feed-every", defaultValue = "10s", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Pause between prompt batches. Default: ${DEFAULT-VALUE}")
    Duration feedEvery;

    @Option(names = {"-G", "--group-size"}, defaultValue = "4", description = "Completions per prompt. Default: ${DEFAULT-VALUE}")
    int groupSize;

    @Option(names = "--groups-per-step", defaultValue = "4", description = "Groups per learner step. Default: ${DEFAULT-VALUE}")
    int groupsPerStep;

    @Option(names = "--checkpoint-every", defaultValue = "2", description = "Learner steps per checkpoint. Default: ${DEFAULT-VALUE}")
    int checkpointEvery;

    @Option(names = "--drain-timeout", defaultValue = "4m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "After the last fault and prompt: how long the pipeline may take to rank and train what is in flight. Default: ${DEFAULT-VALUE}")
    Duration drainTimeout;

    @Option(names = "--timeout", defaultValue = "30m", converter = DurationConverter.class, paramLabel = "DURATION",
            description = "Limit of the whole soak after preparing; past it the workers are stopped and what happened is accounted. Default: ${DEFAULT-VALUE}")
    Duration timeout;

    @Option(names = "--worker-heap", defaultValue = "384m", paramLabel = "SIZE", description = "-Xmx of each worker JVM. Default: ${DEFAULT-VALUE}")
    String workerHeap;

    public SoakSettings settings() {
        return new SoakSettings(workDir, cacheDir, sftSteps, rmSteps, seed, prompts, feedBatches, feedEvery, kills, minPause, maxPause,
                brokerRestarts, registryOutages, outage, groupSize, groupsPerStep, checkpointEvery, drainTimeout, timeout, workerHeap);
    }

    @Override
    public Integer call() throws Exception {
        return new Soak(settings(), new PrintWriter(System.out, true)).run().exitCode();
    }
}
