package dev.gopo.learner;

import dev.gopo.avro.PolicyVersion;
import dev.gopo.platform.RecordPublisher;
import dev.gopo.policy.PolicyModel;
import dev.gopo.schemas.topic.Topics;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes policy versions: saves the weights under {@code policies/v-NNNNNN/} and announces
 * version, step, {@code file://} URI and SHA-256 on the policy-versions topic. Readers must verify
 * the hash before loading.
 */
final class PolicyAnnouncer {
    private static final Logger log = LoggerFactory.getLogger(PolicyAnnouncer.class);

    private final Path policiesDir;
    private final RecordPublisher publisher;
    private final Topics topics;
    private final String estimator;

    PolicyAnnouncer(Path policiesDir, RecordPublisher publisher, Topics topics, String estimator) {
        this.policiesDir = policiesDir;
        this.publisher = publisher;
        this.topics = topics;
        this.estimator = estimator;
    }

    static Path versionDir(Path policiesDir, long version) {
        return policiesDir.resolve(String.format("v-%06d", version));
    }

    /** Saves the weights of {@code version} (idempotent for the same weights). */
    String save(PolicyModel policy, long version) throws IOException {
        return policy.save(versionDir(policiesDir, version));
    }

    /** Announces a saved version and waits for the broker to acknowledge it. */
    PolicyVersion announce(long version, long step, String sha256) {
        PolicyVersion record = PolicyVersion.newBuilder()
                .setVersion(version)
                .setStep(step)
                .setWeightsUri(versionDir(policiesDir, version).toAbsolutePath().toUri().toString())
                .setSha256(sha256)
                .setEstimator(estimator)
                .setCreatedAtMs(System.currentTimeMillis())
                .build();
        publisher.sendSync(topics.policyVersions(), Long.toString(version), record);
        log.info("announced policy version {} (step {}, sha256 {}…)", version, step, sha256.substring(0, 12));
        return record;
    }
}
