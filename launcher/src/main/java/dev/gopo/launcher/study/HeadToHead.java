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
                    if (estimator == Estimator.GOPO) {
                        continue;
                    }
                    List<Long> seeds = new ArrayList<>();
                    List<Path[]> pairs = new ArrayList<>();
                    for (long seed : settings.seeds()) {
                        Path candidate = finalPolicies.get(new Cell(mode, estimator, transform, seed));
                        Path opponent = finalPolicies.get(new Cell(mode, Estimator.GOPO, transform, seed));
                        if (candidate != null && opponent != null) {
                            seeds.add(seed);
                            pairs.add(new Path[] {candidate, opponent});
                        }
                    }
                    if (pairs.isEmpty()) {
                        continue;
                    }
                    for (Task task : tasks) {
                        List<List<Judge.Comparison>> clusters = new ArrayList<>();
                        for (int k = 0; k < pairs.size(); k++) {
                            clusters.addAll(judgePair(task, pairs.get(k)[0], pairs.get(k)[1], seeds.get(k)));
                        }
                        WinRate winRate = new Judge(settings.seeds().get(0) * 7919 + estimator.ordinal())
                                .winRateByPrompt(clusters, LEVEL, BOOTSTRAP_SAMPLES);
                        rows.add(new Row(mode, transform, task.name(), estimator, Estimator.GOPO, winRate, prompts, pairs.size()));
                    }
                }
            }
        }
        return rows;
    }

    /** The comparisons of one seed on one task, one list per prompt. */
    private List<List<Judge.Comparison>> judgePair(Task task, Path candidateDir, Path opponentDir, long seed) throws IOException {
        List<String> texts = task.prompts(Split.EVAL, prompts, seed).stream().map(TaskPrompt::text).toList();
        List<String> sampled = new ArrayList<>(texts.size() * samplesPerPrompt);
        for (int j = 0; j < samplesPerPrompt; j++) {
            sampled.addAll(texts);
        }
        List<String> candidate;
        List<String> opponent;
        try (PolicyModel model = PolicyModel.loadFrozen(candidateDir)) {
            candidate = PolicyCompletions.sample(model, sampled, sampling(model, texts, seed));
        }
        try (PolicyModel model = PolicyModel.loadFrozen(opponentDir)) {
            opponent = PolicyCompletions.sample(model, sampled, sampling(model, texts, seed));
        }
        int n = texts.size();
        List<List<Judge.Comparison>> byPrompt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Judge.Comparison> samples = new ArrayList<>(samplesPerPrompt);
            for (int j = 0; j < samplesPerPrompt; j++) {
                int k = j * n + i;
                samples.add(new Judge.Comparison(task, sampled.get(k), candidate.get(k), opponent.get(k)));
            }
            byPrompt.add(samples);
        }
        return byPrompt;
    }

    private static SamplingConfig sampling(PolicyModel model, List<String> texts, long seed) {
        int longest = texts.stream().mapToInt(p -> model.tokenizer().encodePrompt(p).length).max().orElse(0);
        int room = Math.min(TaskVocabulary.MAX_COMPLETION_TOKENS, model.config().maxSeqLen() - longest);
        return new SamplingConfig(1.0, 0, 1.0, Math.max(1, room), seed * 1_000_003L);
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
