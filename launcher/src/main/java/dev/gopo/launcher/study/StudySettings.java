package dev.gopo.launcher.study;

import dev.gopo.launcher.OnlineTraining;
import dev.gopo.learner.LearnerConfig;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import dev.gopo.tasks.PrepareSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What a study runs: the grid (modes x estimators x reward transforms x seeds) and the one training
 * budget every cell gets. Validated at construction; transforms are kept in their canonical spelling
 * ({@link RewardTransform#label()}), so {@code power:3.0} and {@code power:3} are the same cell.
 *
 * <p>Every cell starts from the same reference policy and reward models ({@code prepare}, with its own
 * seed); the run seeds change the training prompts, the sampling and the evaluation prompts.
 */
public record StudySettings(List<StudyMode> modes, List<Estimator> estimators, List<String> transforms, List<Long> seeds,
                            PrepareSettings prepare, int steps, int groupsPerStep, int groupSize, int checkpointEvery, double lr,
                            double beta, long maxStalenessSteps, int evalPrompts, int samplesPerPrompt, int evalEvery,
                            int headToHeadPrompts) {
    public static final String IDENTITY = "identity";

    public StudySettings {
        modes = distinct(modes, "--modes");
        estimators = distinct(estimators, "--estimators");
        if (transforms == null || transforms.isEmpty()) {
            throw new IllegalArgumentException("--transforms needs at least one reward transform, e.g. identity,power:3");
        }
        transforms = distinct(transforms.stream().map(t -> RewardTransform.parse(t).label()).toList(), "--transforms");
        seeds = distinct(seeds, "--seeds");
        if (modes.contains(StudyMode.REPLAY) && !modes.contains(StudyMode.ONLINE)) {
            throw new IllegalArgumentException("--modes replay needs online too: replay cells train on the rollouts recorded by "
                    + "each seed's online GOPO identity run");
        }
        if (steps < 1 || groupsPerStep < 1 || checkpointEvery < 1 || evalPrompts < 1 || samplesPerPrompt < 1 || evalEvery < 1
                || headToHeadPrompts < 1) {
            throw new IllegalArgumentException("--steps, --groups-per-step, --checkpoint-every, --eval-prompts, "
                    + "--samples-per-prompt, --eval-every and --head-to-head-prompts must be >= 1");
        }
        if (groupSize < 2) {
            throw new IllegalArgumentException("--group-size must be >= 2, got " + groupSize);
        }
        if (!(lr > 0) || !(beta >= 0) || maxStalenessSteps < 0) {
            throw new IllegalArgumentException("--lr must be > 0, --beta >= 0 and --max-staleness-steps >= 0");
        }
    }

    private static <T> List<T> distinct(List<T> values, String option) {
        if (values == null || values.isEmpty()) {
            throw new IllegalArgumentException(option + " needs at least one value");
        }
        List<T> out = values.stream().distinct().toList();
        if (out.size() != values.size()) {
            throw new IllegalArgumentException(option + " lists a value twice: " + values);
        }
        return out;
    }

    /**
     * The cells in the order they run: seed by seed; within a seed the online cells first, GOPO with the identity
     * transform leading (it records the rollouts the seed's replay cells train on), then the replay cells.
     */
    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (long seed : seeds) {
            Cell recording = new Cell(StudyMode.ONLINE, Estimator.GOPO, IDENTITY, seed);
            List<Cell> online = new ArrayList<>();
            for (Estimator estimator : estimators) {
                for (String transform : transforms) {
                    online.add(new Cell(StudyMode.ONLINE, estimator, transform, seed));
                }
            }
            if (modes.contains(StudyMode.REPLAY) && online.remove(recording)) {
                online.add(0, recording);
            }
            if (modes.contains(StudyMode.ONLINE)) {
                cells.addAll(online);
            }
            if (modes.contains(StudyMode.REPLAY)) {
                for (Estimator estimator : estimators) {
                    for (String transform : transforms) {
                        cells.add(new Cell(StudyMode.REPLAY, estimator, transform, seed));
                    }
                }
            }
        }
        return cells;
    }

    /** The training budget of one cell: the cell's estimator and seed, everything else the study's. */
    public OnlineTraining.Settings training(Cell cell) {
        return new OnlineTraining.Settings(steps, groupsPerStep, groupSize, checkpointEvery, 1, List.of(cell.estimator()), lr, beta,
                maxStalenessSteps, LearnerConfig.NO_VERSION_BOUND, evalPrompts, samplesPerPrompt, evalEvery, cell.seed(),
                RewardTransform.parse(cell.transform()));
    }

    /** The settings as ordered key/value pairs: saved as {@code study.properties}, compared when a study resumes. */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("modes", modes.stream().map(StudyMode::label).collect(Collectors.joining(",")));
        out.put("estimators", estimators.stream().map(Enum::name).collect(Collectors.joining(",")));
        out.put("transforms", String.join(",", transforms));
        out.put("seeds", seeds.stream().map(String::valueOf).collect(Collectors.joining(",")));
        out.put("model_size", prepare.modelSize().name());
        out.put("sft_steps", Integer.toString(prepare.sftSteps()));
        out.put("rm_steps", Integer.toString(prepare.rmSteps()));
        out.put("prepare_seed", Long.toString(prepare.seed()));
        out.put("steps", Integer.toString(steps));
        out.put("groups_per_step", Integer.toString(groupsPerStep));
        out.put("group_size", Integer.toString(groupSize));
        out.put("checkpoint_every", Integer.toString(checkpointEvery));
        out.put("lr", Double.toString(lr));
        out.put("beta", Double.toString(beta));
        out.put("max_staleness_steps", Long.toString(maxStalenessSteps));
        out.put("eval_prompts", Integer.toString(evalPrompts));
        out.put("samples_per_prompt", Integer.toString(samplesPerPrompt));
        out.put("eval_every", Integer.toString(evalEvery));
        out.put("head_to_head_prompts", Integer.toString(headToHeadPrompts));
        return out;
    }
}
