package dev.gopo.tasks.reward;

import java.util.List;

/**
 * Completions a policy writes for a prompt, for preference pairs drawn from the kind of text the
 * reward model will have to rank during RL (as preference data for RLHF is collected on samples
 * of the supervised policy). Implementations are deterministic in {@code seed}.
 */
@FunctionalInterface
public interface PolicySamples {

    /** A group of completion texts of {@code prompt}, sampled with {@code seed}. */
    List<String> group(String prompt, long seed);
}
