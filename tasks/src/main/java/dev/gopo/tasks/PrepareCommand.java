package dev.gopo.tasks;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code gopo prepare}: builds (or reuses) the supervised reference policy and one reward model
 * per task in a cache directory. See {@link Prepare}.
 */
@Command(name = "prepare", mixinStandardHelpOptions = true,
        description = {"Trains the supervised reference policy and one reward model per task, and caches them.",
                "Artifacts whose settings and file hashes match the cache manifest are reused (printed as 'cached')."})
public final class PrepareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    PrepareOptions prepareOptions;


    @Option(names = "--tasks", split = ",", paramLabel = "TASK",
            description = "Comma-separated built-in tasks (default: all of summarise,constrained).")
    List<String> tasks;




    @Option(names = "--seed", defaultValue = "42",
            description = "Seed of prompts, preference data, initialisation and batch order (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--rater-temperature", defaultValue = "0.05",
            description = "Bradley-Terry temperature of the simulated preference raters; larger is noisier "
                    + "(default: ${DEFAULT-VALUE}).")
    double raterTemperature;

    @Option(names = "--judge-prompts", defaultValue = "64",
            description = "Held-out prompts per task for the reference-vs-untrained judge check (default: ${DEFAULT-VALUE}).")
    int judgePrompts;

    @Override
    public Integer call() throws Exception {
        PrepareSettings settings = settings();
        PrintWriter out = spec.commandLine().getOut();
        PreparedArtifacts artifacts = new Prepare(settings, prepareOptions.cacheDir(), out).run();
        out.println("reference policy: " + artifacts.referencePolicyDir());
        for (String task : artifacts.tasks()) {
            out.println("reward model " + task + ": " + artifacts.rewardModelDir(task));
        }
        out.flush();
        return 0;
    }

    /** The settings these options select; {@code gopo run} reads the same defaults, so its cache keys match. */
    public PrepareSettings settings() {
        PrepareSettings defaults = prepareOptions.settings(seed);
        return new PrepareSettings(
                tasks == null || tasks.isEmpty() ? TaskRegistry.names() : tasks,
                defaults.modelSize(), defaults.sftSteps(), defaults.rmSteps(), seed,
                defaults.sftBatchSize(), defaults.sftPromptsPerTask(), defaults.rmBatchSize(), defaults.rmTrainPairs(),
                defaults.rmHeldOutPairs(), raterTemperature, judgePrompts);
    }
}
