package dev.gopo.launcher.study;

import dev.gopo.policy.PolicyModel;
import dev.gopo.policy.sampling.SamplingConfig;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.Task;
import dev.gopo.tasks.TaskPrompt;
import dev.gopo.tasks.TaskVocabulary;
import dev.gopo.tasks.judge.Judge;
import dev.gopo.tasks.judge.WinRate;
import dev.gopo.tasks.warmstart.PolicyCompletions;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The study's final head-to-head: for each mode and reward transform, the last policy of every estimator
 * judged against the last policy of GOPO trained with the same seed.
 *
 * <p>For seed {@code s} and task {@code t}, both policies complete the same {@code n} held-out prompts
 * {@code K} times each, with common random numbers (sample {@code j} of prompt {@code i} is drawn with seed
 * {@code s * 1_000_003 + j * n + i} by both). The {@link Judge} compares each pair with the hidden gold
 * quality, presenting the two in a randomised order, ties counting half. The unit of resampling is a
 * (seed, prompt) pair with its {@code K} comparisons: the 95% interval is a percentile bootstrap over those
 * clusters, so it covers both the prompts and the seeds.
 */
final class HeadToHead {
    static final String FILE = "head-to-head.csv";
    static final List<String> COLUMNS = List.of("mode", "transform", "task", "estimator", "opponent", "wins", "ties", "losses",
            "win_rate", "ci_low", "ci_high", "prompts", "seeds");
    private static final int BOOTSTRAP_SAMPLES = 1000;
    private static final double LEVEL = 0.95;

    /** One row: {@code estimator}'s final policies against {@code opponent}'s on one task, over all seeds. */
    record Row(StudyMode mode, String transform, String task, Estimator estimator, Estimator opponent, WinRate winRate, int prompts,
               int seeds) {
        List<Object> values() {
            return List.of(mode.label(), transform, task, estimator.name(), opponent.name(), winRate.wins(), winRate.ties(),
                    winRate.losses(), fmt(winRate.winRate()), fmt(winRate.ciLow()), fmt(winRate.ciHigh()), prompts, seeds);
        }
    }

    private final List<Task> tasks;
    private final int prompts;
    private final int samplesPerPrompt;
    /** Completions of each final policy per task, sampled once: GOPO's are the opponent of every estimator. */
    private final Map<Path, Map<String, List<String>>> sampled = new HashMap<>();

    HeadToHead(List<Task> tasks, int prompts, int samplesPerPrompt) {
        this.tasks = List.copyOf(tasks);
        this.prompts = prompts;
        this.samplesPerPrompt = samplesPerPrompt;
    }

    /**
     * Judges every estimator's final policies against GOPO's, per mode, transform and task. Cells without a final
     * policy (not run) are left out; a comparison needs both policies of a seed.
     *
     * @param finalPolicies the final policy directory of each finished cell
     */
    List<Row> compare(StudySettings settings, Map<Cell, Path> finalPolicies) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (StudyMode mode : settings.modes()) {
            for (String transform : settings.transforms()) {
                for (Estimator estimator : settings.estimators()) {
                    if (estimator != Estimator.GOPO) {
                        rows.addAll(compare(settings, finalPolicies, mode, transform, estimator));
                    }
                }
            }
        }
        return rows;
    }

    /** One row per task: {@code estimator}'s final policies against GOPO's over the seeds that have both. */
    private List<Row> compare(StudySettings settings, Map<Cell, Path> finalPolicies, StudyMode mode, String transform,
                              Estimator estimator) throws IOException {
        Map<Task, List<List<Judge.Comparison>>> clusters = new LinkedHashMap<>();
        int seeds = 0;
        for (long seed : settings.seeds()) {
            Path candidate = finalPolicies.get(new Cell(mode, estimator, transform, seed));
            Path opponent = finalPolicies.get(new Cell(mode, Estimator.GOPO, transform, seed));
            if (candidate == null || opponent == null) {
                continue;
            }
            seeds++;
            Map<String, List<String>> candidateTexts = completions(candidate, seed);
            Map<String, List<String>> opponentTexts = completions(opponent, seed);
            for (Task task : tasks) {
                clusters.computeIfAbsent(task, t -> new ArrayList<>()).addAll(Judge.byPrompt(task, sampledPrompts(task, seed),
                        samplesPerPrompt, candidateTexts.get(task.name()), opponentTexts.get(task.name())));
            }
        }
        List<Row> rows = new ArrayList<>();
        for (var e : clusters.entrySet()) {
            WinRate winRate = new Judge(settings.seeds().get(0) * 7919 + estimator.ordinal()).winRateByPrompt(e.getValue(), LEVEL,
                    BOOTSTRAP_SAMPLES);
            rows.add(new Row(mode, transform, e.getKey().name(), estimator, Estimator.GOPO, winRate, prompts, seeds));
        }
        return rows;
    }

    /** The held-out prompts of seed {@code seed}, each {@code samplesPerPrompt} times, sample-major. */
    private List<String> sampledPrompts(Task task, long seed) {
        return Judge.sampleMajor(task.prompts(Split.EVAL, prompts, seed).stream().map(TaskPrompt::text).toList(), samplesPerPrompt);
    }

    /**
     * The completions of the policy in {@code dir} for every task's sampled prompts of {@code seed}, loaded and sampled
     * once per policy. Both policies of a pair use the same sampling seeds (common random numbers).
     */
    private Map<String, List<String>> completions(Path dir, long seed) throws IOException {
        Map<String, List<String>> cached = sampled.get(dir);
        if (cached != null) {
            return cached;
        }
        Map<String, List<String>> byTask = new HashMap<>();
        try (PolicyModel model = PolicyModel.loadFrozen(dir)) {
            for (Task task : tasks) {
                List<String> sampledPrompts = sampledPrompts(task, seed);
                int room = PolicyCompletions.room(model, sampledPrompts, TaskVocabulary.MAX_COMPLETION_TOKENS);
                byTask.put(task.name(), PolicyCompletions.sample(model, sampledPrompts,
                        new SamplingConfig(1.0, 0, 1.0, room, seed * 1_000_003L)));
            }
        }
        sampled.put(dir, byTask);
        return byTask;
    }

    static void write(List<Row> rows, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(w, CSVFormat.DEFAULT.builder().setRecordSeparator("\n").build())) {
            csv.printRecord(COLUMNS);
            for (Row row : rows) {
                csv.printRecord(row.values());
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
