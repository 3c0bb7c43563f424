package dev.gopo.schemas.topic;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Names of the pipeline's topics. All share one prefix (default {@code gopo.}) so several
 * pipelines, ablations or tests can share a broker without colliding.
 */
public record TopicNames(String prefix) {
    private static final Pattern LEGAL = Pattern.compile("[a-zA-Z0-9._-]*");

    public TopicNames {
        if (prefix == null || !LEGAL.matcher(prefix).matches() || prefix.length() > 200) {
            throw new IllegalArgumentException("topic prefix '" + prefix
                    + "' is not legal: use letters, digits, '.', '_' and '-' only, at most 200 characters");
        }
    }

    public static TopicNames defaults() {
        return new TopicNames("gopo.");
    }

    public String prompts() {
        return prefix + "prompts";
    }

    public String completions() {
        return prefix + "completions";
    }

    public String rewards() {
        return prefix + "rewards";
    }

    /** Advantages topic of one estimator: the default GOPO estimator writes {@code advantages}, others {@code advantages.<name>}. */
    public String advantages(String estimatorSuffix) {
        return estimatorSuffix == null || estimatorSuffix.isEmpty() ? prefix + "advantages" : prefix + "advantages." + estimatorSuffix;
    }

    public String advantages() {
        return advantages(null);
    }

    public String policyVersions() {
        return prefix + "policy-versions";
    }

    public String evalResults() {
        return prefix + "eval-results";
    }

    public String metrics() {
        return prefix + "metrics";
    }

    public String deadLetters() {
        return prefix + "dead-letters";
    }

    /** Every fixed topic of the pipeline (per-estimator advantage topics besides the default are extra). */
    public List<String> all() {
        return List.of(prompts(), completions(), rewards(), advantages(), policyVersions(), evalResults(), metrics(), deadLetters());
    }
}
