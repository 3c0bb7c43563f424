package dev.gopo.rewardproducer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Immutable settings of the example reward producer, validated at start-up.
 *
 * @param groupId        Kafka consumer group; producers in one group share the completions' partitions
 * @param producerId     written into every {@code Reward.producerId}, for auditing; also the Kafka client id
 * @param scorer         what computes the rewards
 * @param rewardModels   reward-model directory per task name (needed by {@link ScorerKind#MODEL})
 * @param tokenizerFile  tokenizer to decode token ids with when a completion has no text ({@code null} = the built-in ASCII one)
 * @param maxCompletions stop after handling this many completions (0 = run until stopped)
 * @param idleTimeout    stop after this long without a completion (zero = never)
 */
public record RewardProducerConfig(String groupId, String producerId, ScorerKind scorer, Map<String, Path> rewardModels,
                                   Path tokenizerFile, long maxCompletions, Duration idleTimeout) {
    public RewardProducerConfig {
        if (groupId == null || !groupId.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException("--group-id '" + groupId + "' must be letters, digits, '.', '_' or '-'");
        }
        if (producerId == null || producerId.isBlank()) {
            throw new IllegalArgumentException("--producer-id is empty: give this producer a name, e.g. reward-producer-0");
        }
        if (scorer == null) {
            throw new IllegalArgumentException("--scorer is missing: use 'model' or 'length'");
        }
        rewardModels = rewardModels == null ? Map.of() : Map.copyOf(rewardModels);
        if (scorer == ScorerKind.MODEL && rewardModels.isEmpty()) {
            throw new IllegalArgumentException("--scorer model needs reward models: run 'gopo prepare' (see --cache-dir) or pass "
                    + "--reward-model TASK=DIR per task, or use --scorer length for a demo");
        }
        if (maxCompletions < 0) {
            throw new IllegalArgumentException("--max-completions must be >= 0 (0 = run until stopped), got " + maxCompletions);
        }
        if (idleTimeout == null || idleTimeout.isNegative()) {
            throw new IllegalArgumentException("--idle-timeout must be >= 0 seconds (0 = never), got " + idleTimeout);
        }
    }
}
