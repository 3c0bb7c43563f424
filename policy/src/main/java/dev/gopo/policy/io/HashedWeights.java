package dev.gopo.policy.io;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The on-disk convention for the weights of every model of this project (policies and reward
 * models): {@code weights.bin} written atomically, and beside it {@code weights.sha256} in
 * {@code sha256sum} format, the hash a policy version announces and a loader checks.
 */
public final class HashedWeights {

    public static final String WEIGHTS_FILE = "weights.bin";
    public static final String SHA256_FILE = "weights.sha256";

    private HashedWeights() {}

    /**
     * Writes {@code weights.bin} (atomically) and {@code weights.sha256} into {@code dir}.
     *
     * @return the SHA-256 hex of the written file
     */
    public static String write(Path dir, AtomicFiles.Writer weights) throws IOException {
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        AtomicFiles.write(weightsFile, weights);
        String sha = Sha256.ofFile(weightsFile);
        AtomicFiles.write(dir.resolve(SHA256_FILE), (sha + "  " + WEIGHTS_FILE + "\n").getBytes(StandardCharsets.US_ASCII));
        return sha;
    }

    /** SHA-256 hex of the bytes {@code weights} writes, computed in memory: equal to what {@link #write} returns. */
    public static String hashOf(AtomicFiles.Writer weights) {
        try {
            return Sha256.ofContent(weights);
        } catch (IOException e) {
            throw new IllegalStateException("hashing in memory cannot fail with I/O, but did", e);
        }
    }

    /** The hash recorded in {@code dir/weights.sha256}, or null when there is no such file. */
    public static String recordedSha256(Path dir) throws IOException {
        Path shaFile = dir.resolve(SHA256_FILE);
        if (!Files.isRegularFile(shaFile)) {
            return null;
        }
        return Files.readString(shaFile, StandardCharsets.US_ASCII).trim().split("\\s+")[0];
    }

    /**
     * {@code dir/weights.bin}, checked to exist and, unless {@code expectedSha256} is null, to hash to it.
     *
     * @param what names the model in messages, e.g. "reward model weights"
     * @param hint appended to a hash-mismatch message: how to get good weights again (may be empty)
     * @throws IOException when the file is missing or its hash differs; the message names the file
     */
    public static Path verified(Path dir, String expectedSha256, String what, String hint) throws IOException {
        Path weightsFile = dir.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(weightsFile)) {
            throw new IOException("missing " + what + " " + weightsFile.toAbsolutePath());
        }
        if (expectedSha256 != null) {
            String actual = Sha256.ofFile(weightsFile);
            if (!actual.equalsIgnoreCase(expectedSha256)) {
                throw new IOException(what + " " + weightsFile.toAbsolutePath() + " have sha256 " + actual + " but "
                        + expectedSha256 + " was expected: the file is corrupt or was replaced" + hint);
            }
        }
        return weightsFile;
    }
}
