package dev.gopo.tasks;

import dev.gopo.files.FileTrees;
import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.tasks.reward.PolicySamples;
import dev.gopo.tasks.warmstart.PolicyCompletions;
import dev.gopo.tasks.reward.PreferenceData;
import dev.gopo.tasks.reward.RewardModel;
import dev.gopo.tasks.reward.RewardModelTrainer;
import dev.gopo.tasks.reward.RewardTrainingReport;
import dev.gopo.tasks.warmstart.SupervisedExample;
import dev.gopo.tasks.warmstart.SupervisedWarmStart;
import dev.gopo.tasks.optim.TrainingSchedule;
import dev.gopo.tasks.warmstart.WarmStartEvaluation;
import dev.gopo.tasks.warmstart.WarmStartReport;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Builds what the RL pipeline starts from, once, and caches it:
 * <ul>
 *   <li>{@code reference-policy/}: the supervised reference policy (one for all tasks), trained
 *       by {@link SupervisedWarmStart} on prompt-reference pairs and checked against an
 *       untrained policy with the gold judge;</li>
 *   <li>{@code reward-models/<task>/}: one {@link RewardModel} per task, trained on simulated
 *       preferences, with its held-out pairwise accuracy;</li>
 *   <li>{@code manifest.json}: settings, per-artifact settings key, SHA-256 of every file, and the
 *       measurements ({@link PrepareManifest}).</li>
 * </ul>
 * An artifact is reused ("cached") when its settings key matches and every file still has the
 * hash in the manifest; otherwise it is rebuilt, and the reason is printed. Each artifact is
 * built in a temporary directory and moved into place, and the manifest is written last.
 */
public final class Prepare {

    public static final String POLICY_DIR = "reference-policy";
    public static final String REWARD_MODELS_DIR = "reward-models";

    /** Metric names in the manifest. */
    public static final String METRIC_HELD_OUT_ACCURACY = "heldOutAccuracy";
    public static final String METRIC_HELD_OUT_GOLD_ACCURACY = "heldOutGoldAccuracy";
    public static final String METRIC_TRAIN_ACCURACY = "trainAccuracy";
    public static final String METRIC_WIN_RATE = "judgeWinRateVsUntrained";

    /**
     * Share of each reward model's preference pairs that compare two completions of one group
     * sampled from the reference policy (the rest compare constructed candidates).
     */
    public static final double ON_POLICY_PAIR_SHARE = 0.5;

    private final PrepareSettings settings;
    private final Path cacheDir;
    private final PrintWriter out;

    /**
     * @param out receives one line per artifact (built or cached, with its measurements); training
     *            progress goes to the log
     */
    public Prepare(PrepareSettings settings, Path cacheDir, PrintWriter out) {
        this.settings = settings;
        this.cacheDir = cacheDir;
        this.out = out;
    }

    /** Builds what is missing or stale and returns the verified cache. */
    public PreparedArtifacts run() throws IOException {
        Files.createDirectories(cacheDir);
        PrepareManifest old = previousManifest();
        ArtifactEntry policy = reuseOrBuild("reference policy",
                old == null ? null : old.referencePolicy(), settings.policyKey(), this::buildPolicy);
        Map<String, ArtifactEntry> rewardModels = new LinkedHashMap<>();
        for (Task task : TaskRegistry.byNames(settings.tasks())) {
            ArtifactEntry previous = old == null ? null : old.rewardModels().get(task.name());
            rewardModels.put(task.name(), reuseOrBuild("reward model " + task.name(), previous,
                    settings.rewardModelKey(task.name(), policy.weightsSha256()), () -> buildRewardModel(task, policy)));
        }
        new PrepareManifest(PrepareManifest.FORMAT, settings, policy, rewardModels).write(cacheDir);
        out.println("prepared " + cacheDir.toAbsolutePath());
        out.flush();
        return PreparedArtifacts.open(cacheDir);
    }

    @FunctionalInterface
    private interface Builder {
        ArtifactEntry build() throws IOException;
    }

    private ArtifactEntry reuseOrBuild(String label, ArtifactEntry previous, String key, Builder builder)
            throws IOException {
        String reason;
        if (previous == null) {
            reason = "not in the cache";
        } else if (!previous.key().equals(key)) {
            reason = "settings changed";
        } else {
            Optional<String> problem = ArtifactFiles.problem(cacheDir, previous);
            if (problem.isEmpty()) {
                out.println(label + ": cached (" + previous.dir() + ", weights sha256 "
                        + previous.weightsSha256().substring(0, 12) + ", " + describe(previous.metrics()) + ")");
                out.flush();
                return previous;
            }
            reason = problem.get();
        }
        out.println(label + ": building (" + reason + ")");
        out.flush();
        ArtifactEntry built = builder.build();
        out.println(label + ": built in " + String.format(Locale.ROOT, "%.1f", built.trainSeconds()) + " s ("
                + describe(built.metrics()) + ")");
        out.flush();
        return built;
    }

    private ArtifactEntry buildPolicy() throws IOException {
        List<Task> tasks = TaskRegistry.byNames(settings.tasks());
        var config = settings.modelSize().policyConfig(settings.seed());
        TrainingSchedule warmStart = SupervisedWarmStart.schedule(settings.sftSteps(), settings.sftBatchSize(), settings.seed());
        Path tmp = temporaryDir(POLICY_DIR);
        WarmStartReport report;
        WarmStartEvaluation check;
        String sha;
        // Same config and seed: the untrained baseline is exactly where the warm start began.
        try (PolicyModel policy = PolicyModel.create(config, TaskVocabulary.tokenizer());
             PolicyModel untrained = PolicyModel.create(config, TaskVocabulary.tokenizer())) {
            List<SupervisedExample> examples = SupervisedExample.fromTasks(tasks, settings.sftPromptsPerTask(),
                    settings.seed());
            report = new SupervisedWarmStart(warmStart).train(policy, examples);
            check = WarmStartEvaluation.evaluate(policy, untrained, tasks, settings.judgePrompts(), settings.seed());
            sha = policy.save(tmp);
        }
        for (String example : check.examples()) {
            out.println("  sample: " + example);
        }
        out.println("  judge, reference policy vs untrained: " + check.winRate());
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("sftFirstLoss", report.firstLoss());
        metrics.put("sftFinalLoss", report.finalLoss());
        metrics.put(METRIC_WIN_RATE, check.winRate().winRate());
        metrics.put(METRIC_WIN_RATE + "CiLow", check.winRate().ciLow());
        metrics.put(METRIC_WIN_RATE + "CiHigh", check.winRate().ciHigh());
        check.candidateGold().forEach((task, q) -> metrics.put("meanGold." + task, q));
        check.baselineGold().forEach((task, q) -> metrics.put("untrainedMeanGold." + task, q));
        check.groupSpread().forEach((task, q) -> metrics.put("groupGoldSpread." + task, q));
        for (String task : check.candidateGold().keySet()) {
            out.println(String.format(Locale.ROOT, "  reference policy on %s: mean gold quality %.3f (untrained %.3f), "
                            + "mean within-group spread (std of gold in a group of %d) %.3f", task,
                    check.candidateGold().get(task), check.baselineGold().get(task), WarmStartEvaluation.GROUP_SIZE,
                    check.groupSpread().get(task)));
        }
        return install(tmp, POLICY_DIR, settings.policyKey(), sha, report.seconds(), metrics);
    }

    private ArtifactEntry buildRewardModel(Task task, ArtifactEntry policyEntry) throws IOException {
        PreferenceData data;
        try (PolicyModel policy = PolicyModel.load(cacheDir.resolve(policyEntry.dir()), policyEntry.weightsSha256())) {
            PolicySamples samples = (prompt, seed) -> PolicyCompletions.sampleGroups(policy, List.of(prompt),
                    WarmStartEvaluation.GROUP_SIZE, new SamplingConfig(1.0, 0, 1.0, TaskVocabulary.MAX_COMPLETION_TOKENS, seed))
                    .get(0);
            data = PreferenceData.build(task, settings.rmTrainPairs(), settings.rmHeldOutPairs(),
                    settings.raterTemperature(), settings.seed(), samples, ON_POLICY_PAIR_SHARE);
        }
        TrainingSchedule training = RewardModelTrainer.schedule(settings.rmSteps(), settings.rmBatchSize(), settings.seed());
        String dir = REWARD_MODELS_DIR + "/" + task.name();
        Path tmp = temporaryDir(dir);
        RewardTrainingReport report;
        String sha;
        try (RewardModel model = RewardModel.create(settings.modelSize().rewardModelConfig(settings.seed()))) {
            report = new RewardModelTrainer(training).train(task.name(), model, data.train(), data.heldOut());
            sha = model.save(tmp);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(METRIC_HELD_OUT_ACCURACY, report.heldOut().labelAccuracy());
        metrics.put(METRIC_HELD_OUT_GOLD_ACCURACY, report.heldOut().goldAccuracy());
        metrics.put(METRIC_TRAIN_ACCURACY, report.train().labelAccuracy());
        metrics.put("heldOutPairs", (double) report.heldOut().pairs());
        metrics.put("trainPairs", (double) report.train().pairs());
        metrics.put("finalLoss", report.finalLoss());
        return install(tmp, dir, settings.rewardModelKey(task.name(), policyEntry.weightsSha256()), sha, report.seconds(),
                metrics);
    }

    /** Replaces {@code <cache>/<dir>} with the freshly built {@code tmp} and describes it. */
    private ArtifactEntry install(Path tmp, String dir, String key, String sha, double seconds,
                                  Map<String, Double> metrics) throws IOException {
        Path target = cacheDir.resolve(dir);
        FileTrees.deleteRecursively(target);
        Files.createDirectories(target.getParent());
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        // JSON has no NaN: drop measurements that could not be made (e.g. no gold-distinct pairs).
        metrics.values().removeIf(v -> !Double.isFinite(v));
        return new ArtifactEntry(dir, key, sha, ArtifactFiles.hashAll(target), seconds, metrics);
    }

    private Path temporaryDir(String dir) throws IOException {
        Path target = cacheDir.resolve(dir);
        Files.createDirectories(target.getParent());
        Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
        FileTrees.deleteRecursively(tmp);
        return Files.createDirectories(tmp);
    }

    private PrepareManifest previousManifest() {
        if (!Files.exists(cacheDir.resolve(PrepareManifest.FILE))) {
            return null;
        }
        try {
            return PrepareManifest.read(cacheDir);
        } catch (IOException e) {
            // An unreadable manifest only means nothing can be reused; rebuilding fixes it.
            out.println("ignoring unreadable manifest: " + e.getMessage());
            return null;
        }
    }

    private static String describe(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder();
        List<String> names = new java.util.ArrayList<>(List.of(METRIC_HELD_OUT_ACCURACY, METRIC_HELD_OUT_GOLD_ACCURACY,
                METRIC_WIN_RATE, "sftFinalLoss"));
        metrics.keySet().stream().filter(k -> k.startsWith("meanGold.") || k.startsWith("groupGoldSpread."))
                .forEach(names::add);
        for (String name : names) {
            Double v = metrics.get(name);
            if (v != null) {
                sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ')
                        .append(String.format(Locale.ROOT, "%.3f", v));
            }
        }
        return sb.toString();
    }
}
