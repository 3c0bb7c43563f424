package dev.gopo.evaluator;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.tasks.TaskFixtures;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Tiny saved models, announcements and configs shared by the evaluator's tests. */
public final class EvalFixtures {
    public static final String TASK = "summarise";

    private EvalFixtures() {
    }

    /** Saves a tiny CPU policy with {@code seed} into {@code dir}; returns its SHA-256. */
    public static String tinyPolicy(Path dir, long seed) throws IOException {
        return TaskFixtures.tinyPolicy(dir, seed);
    }

    /** Saves an untrained tiny reward model into {@code dir}. */
    public static Path tinyRewardModel(Path dir) throws IOException {
        return TaskFixtures.tinyRewardModel(dir);
    }

    public static PolicyVersion announcement(long version, Path dir, String sha256) {
        return PolicyVersion.newBuilder().setVersion(version).setStep(version * 5).setWeightsUri(dir.toAbsolutePath().toUri().toString())
                .setSha256(sha256).setEstimator("GOPO").setCreatedAtMs(System.currentTimeMillis()).build();
    }

    /** A small config: one task, 4 prompts, short completions, 200 bootstrap resamples. */
    public static EvaluatorConfig config(Path out, Path reference, Path rewardModel, long maxVersions, Duration idle) {
        return config(out, reference, rewardModel, maxVersions, idle, 1);
    }

    /** The small config with {@code samplesPerPrompt} completions per prompt. */
    public static EvaluatorConfig config(Path out, Path reference, Path rewardModel, long maxVersions, Duration idle,
                                         int samplesPerPrompt) {
        return new EvaluatorConfig("evaluator-test", List.of(TASK), 4, samplesPerPrompt, 1, 12, 1.0, 7L, 200, out, reference,
                Map.of(TASK, rewardModel), maxVersions, idle);
    }
}
