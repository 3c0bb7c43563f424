package dev.gopo.evaluator;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.platform.DeadLetterReason;
import dev.gopo.policy.PolicyModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds and verifies the weights of an announced policy version before anything is loaded: the
 * {@code weightsUri} must be a {@code file://} URI of a model directory whose {@code weights.bin}
 * hashes to the announced SHA-256. A version that fails is rejected with the dead-letter reason
 * that says which check failed, so an operator can tell "not there (yet)" from "not what was
 * announced".
 */
final class PolicyWeights {
    private PolicyWeights() {
    }

    /**
     * The verified model directory of {@code announced}.
     *
     * @throws WeightsRejectedException {@code WEIGHTS_MISSING} for a bad URI or a missing or unreadable
     *     weights file, {@code WEIGHTS_HASH_MISMATCH} when the file's SHA-256 differs from the announced one
     */
    static Path verify(PolicyVersion announced) throws WeightsRejectedException {
        Path dir = directory(announced);
        Path weights = dir.resolve(PolicyModel.WEIGHTS_FILE);
        if (!Files.isRegularFile(weights)) {
            throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                    + ": weights file " + weights + " does not exist; the evaluator must see the learner's policies/ "
                    + "directory at the announced path (shared volume)", null);
        }
        String actual;
        try {
            actual = PolicyModel.sha256(weights);
        } catch (IOException e) {
            throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                    + ": cannot read " + weights + ": " + e.getMessage(), e);
        }
        if (!actual.equalsIgnoreCase(announced.getSha256())) {
            throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_HASH_MISMATCH, "policy version " + announced.getVersion()
                    + ": " + weights + " has sha256 " + actual + " but " + announced.getSha256() + " was announced; "
                    + "the file was overwritten or corrupted after the announcement", null);
        }
        return dir;
    }

    /**
     * Loads the verified weights; the hash is checked again while loading, so a file replaced after
     * {@link #verify} is still refused.
     *
     * @throws WeightsRejectedException {@code WEIGHTS_MISSING} when the directory cannot be loaded
     *     (config, tokenizer or weights unreadable or inconsistent)
     */
    static PolicyModel load(PolicyVersion announced, Path dir) throws WeightsRejectedException {
        try {
            return PolicyModel.load(dir, announced.getSha256());
        } catch (IOException | IllegalArgumentException e) {
            throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                    + ": cannot load the model in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Path directory(PolicyVersion announced) throws WeightsRejectedException {
        String uri = announced.getWeightsUri();
        try {
            URI parsed = URI.create(uri);
            if (!"file".equalsIgnoreCase(parsed.getScheme())) {
                throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                        + " has weights URI '" + uri + "'; only file:// URIs of a shared filesystem are supported", null);
            }
            return Path.of(parsed);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new WeightsRejectedException(DeadLetterReason.WEIGHTS_MISSING, "policy version " + announced.getVersion()
                    + " has weights URI '" + uri + "' which is not a valid file:// URI: " + e.getMessage(), e);
        }
    }
}
