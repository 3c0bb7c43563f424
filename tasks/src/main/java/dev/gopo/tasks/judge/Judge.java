package dev.gopo.tasks.judge;

import dev.gopo.tasks.Task;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The stand-in for the paper's pairwise LLM-as-judge: shown a prompt and two completions in a
 * random order, it prefers the one with the higher hidden gold quality ({@link Task#goldQuality});
 * qualities within {@code tieMargin} are a tie. Ties count as half a win.
 *
 * <p>The gold quality is symmetric, so presenting the pair in random order cannot change a
 * verdict here; the order is still drawn (seeded) and mapped back, as the evaluation protocol
 * does, so that a position-biased judge could replace this one without changing callers.
 */
public final class Judge {

    /** Qualities closer than this are a tie by default (exact equality up to rounding). */
    public static final double DEFAULT_TIE_MARGIN = 1e-9;

    /** One comparison: is {@code candidate} better than {@code baseline} for {@code prompt} of {@code task}? */
    public record Comparison(Task task, String prompt, String candidate, String baseline) {}

    private final double tieMargin;
    private final long seed;

    /**
     * @param tieMargin quality differences up to this are ties, >= 0
     * @param seed      seed of the presentation order and of the bootstrap
     */
    public Judge(double tieMargin, long seed) {
        if (!(tieMargin >= 0) || Double.isInfinite(tieMargin)) {
            throw new IllegalArgumentException("tieMargin must be a finite number >= 0, got " + tieMargin);
        }
        this.tieMargin = tieMargin;
        this.seed = seed;
    }

    /** A judge with the default tie margin. */
    public Judge(long seed) {
        this(DEFAULT_TIE_MARGIN, seed);
    }

    /**
     * Score of {@code candidate} against {@code baseline}: 1 (win), 0.5 (tie) or 0 (loss).
     *
     * @param random decides the presentation order
     */
    public double compare(Comparison c, SplittableRandom random) {
        boolean candidateFirst = random.nextBoolean();
        String first = candidateFirst ? c.candidate() : c.baseline();
        String second = candidateFirst ? c.baseline() : c.candidate();
        double firstScore = verdictForFirst(c.task(), c.prompt(), first, second);
        return candidateFirst ? firstScore : 1.0 - firstScore;
    }

    /** Win rate of the candidates over the baselines with a 95% bootstrap interval. */
    public WinRate winRate(List<Comparison> comparisons) {
        return winRate(comparisons, 0.95, Bootstrap.DEFAULT_RESAMPLES);
    }

    /**
     * Win rate of the candidates over the baselines, one comparison per prompt: the interval
     * resamples comparisons. The same as {@link #winRateByPrompt} with one comparison per cluster.
     *
     * @param level     coverage of the bootstrap interval, e.g. 0.95
     * @param resamples bootstrap resamples
     */
    public WinRate winRate(List<Comparison> comparisons, double level, int resamples) {
        if (comparisons.isEmpty()) {
            throw new IllegalArgumentException("no comparisons to judge");
        }
        return winRateByPrompt(comparisons.stream().map(List::of).toList(), level, resamples);
    }

    /**
     * Win rate of the candidates over the baselines when each prompt has several comparisons
     * (several samples per prompt). The point estimate pools every comparison,
     * {@code (wins + ties / 2) / comparisons}; the interval is a cluster bootstrap over prompts
     * ({@link Bootstrap#clusteredMeanInterval}). Samples of one prompt share its difficulty, so
     * resampling them one by one would count them as independent and give too narrow an interval;
     * more samples per prompt still narrow it, by averaging out sampling noise within each prompt.
     * Presentation orders are drawn in list order, prompt by prompt.
     *
     * @param byPrompt  the comparisons grouped by prompt; at least one prompt, none empty
     * @param level     coverage of the bootstrap interval, e.g. 0.95
     * @param resamples bootstrap resamples
     */
    public WinRate winRateByPrompt(List<List<Comparison>> byPrompt, double level, int resamples) {
        if (byPrompt.isEmpty()) {
            throw new IllegalArgumentException("no comparisons to judge");
        }
        SplittableRandom order = new SplittableRandom(seed);
        double[][] outcomes = new double[byPrompt.size()][];
        int n = 0;
        int wins = 0;
        int ties = 0;
        double sum = 0;
        for (int p = 0; p < outcomes.length; p++) {
            List<Comparison> prompt = byPrompt.get(p);
            if (prompt.isEmpty()) {
                throw new IllegalArgumentException("prompt " + p + " has no comparisons: drop it or give it at least one");
            }
            outcomes[p] = new double[prompt.size()];
            for (int j = 0; j < outcomes[p].length; j++) {
                double o = compare(prompt.get(j), order);
                outcomes[p][j] = o;
                sum += o;
                n++;
                if (o == 1.0) {
                    wins++;
                } else if (o == 0.5) {
                    ties++;
                }
            }
        }
        Bootstrap.Interval ci = Bootstrap.clusteredMeanInterval(outcomes, resamples, level, seed ^ 0x5DEECE66DL);
        return new WinRate(sum / n, ci.low(), ci.high(), level, n, wins, ties, n - wins - ties);
    }

    /**
     * {@code prompts} repeated {@code samplesPerPrompt} times, sample-major: index {@code j * n + i} is sample {@code j}
     * of prompt {@code i}. Sampling this list with seed {@code s} gives sample {@code j} of prompt {@code i} the seed
     * {@code s + j * n + i} ({@link dev.gopo.tasks.warmstart.PolicyCompletions#sample}).
     */
    public static List<String> sampleMajor(List<String> prompts, int samplesPerPrompt) {
        List<String> repeated = new ArrayList<>(prompts.size() * samplesPerPrompt);
        for (int j = 0; j < samplesPerPrompt; j++) {
            repeated.addAll(prompts);
        }
        return List.copyOf(repeated);
    }

    /**
     * The comparisons of {@code candidates} against {@code baselines}, both completions of {@link #sampleMajor} prompts,
     * grouped by prompt for {@link #winRateByPrompt}: entry {@code i} holds the {@code samplesPerPrompt} comparisons of
     * prompt {@code i}.
     */
    public static List<List<Comparison>> byPrompt(Task task, List<String> sampledPrompts, int samplesPerPrompt,
                                                  List<String> candidates, List<String> baselines) {
        if (sampledPrompts.size() != candidates.size() || candidates.size() != baselines.size()
                || sampledPrompts.size() % samplesPerPrompt != 0) {
            throw new IllegalArgumentException("sample-major lists of different lengths: " + sampledPrompts.size() + " prompts, "
                    + candidates.size() + " candidates, " + baselines.size() + " baselines, " + samplesPerPrompt + " per prompt");
        }
        int n = sampledPrompts.size() / samplesPerPrompt;
        List<List<Comparison>> byPrompt = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<Comparison> samples = new ArrayList<>(samplesPerPrompt);
            for (int j = 0; j < samplesPerPrompt; j++) {
                int k = j * n + i;
                samples.add(new Comparison(task, sampledPrompts.get(k), candidates.get(k), baselines.get(k)));
            }
            byPrompt.add(samples);
        }
        return byPrompt;
    }

    /** 1 when the first shown completion is better, 0.5 for a tie, 0 when the second is. */
    private double verdictForFirst(Task task, String prompt, String first, String second) {
        double gap = task.goldQuality(prompt, first) - task.goldQuality(prompt, second);
        if (Math.abs(gap) <= tieMargin) {
            return 0.5;
        }
        return gap > 0 ? 1.0 : 0.0;
    }
}
