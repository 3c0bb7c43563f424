package dev.gopo.generator;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.policy.PolicyModel;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy a generator samples with, and its version. A newer announced version replaces it
 * only after its weights load and their SHA-256 matches the announcement; otherwise the old policy
 * stays in use and the caller dead-letters the announcement.
 */
final class CurrentPolicy implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CurrentPolicy.class);

    /** Why a swap was refused. */
    static final class SwapRefused extends Exception {
        final boolean missing;

        SwapRefused(String message, boolean missing, Throwable cause) {
            super(message, cause);
            this.missing = missing;
        }
    }

    private PolicyModel model;
    private long version;
    private long step;

    /** The policy sampled with before any announcement: the reference policy is version 0, step 0. */
    CurrentPolicy(PolicyModel initial, long version, long step) {
        this.model = initial;
        this.version = version;
        this.step = step;
    }

    PolicyModel model() {
        return model;
    }

    long version() {
        return version;
    }

    /** Learner optimiser step that produced the current weights (from the announcement), recorded on every completion. */
    long step() {
        return step;
    }

    /** Loads and verifies the announced weights, then swaps. No-op for a version not newer than the current one. */
    boolean offer(PolicyVersion announced) throws SwapRefused {
        if (announced.getVersion() <= version) {
            return false;
        }
        Path dir;
        try {
            dir = Path.of(URI.create(announced.getWeightsUri()));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new SwapRefused("policy version " + announced.getVersion() + " has weights URI '" + announced.getWeightsUri()
                    + "' which is not a readable file:// URI", true, e);
        }
        if (!Files.isDirectory(dir)) {
            throw new SwapRefused("weights of policy version " + announced.getVersion() + " are missing: " + dir
                    + " does not exist (generators must share the learner's policies directory)", true, null);
        }
        PolicyModel next;
        try {
            next = PolicyModel.load(dir, announced.getSha256());
        } catch (IOException | RuntimeException e) {
            boolean hash = e.getMessage() != null && e.getMessage().toLowerCase().contains("sha");
            throw new SwapRefused("cannot load policy version " + announced.getVersion() + " from " + dir + ": " + e.getMessage(), !hash, e);
        }
        PolicyModel old = model;
        model = next;
        version = announced.getVersion();
        step = announced.getStep();
        old.close();
        log.info("hot-swapped to policy version {} (step {}, sha256 {}…)", version, announced.getStep(), announced.getSha256().substring(0, 12));
        return true;
    }

    @Override
    public void close() {
        model.close();
    }
}
