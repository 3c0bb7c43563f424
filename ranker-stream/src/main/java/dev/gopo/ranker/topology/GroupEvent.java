package dev.gopo.ranker.topology;

import dev.gopo.avro.Reward;

/**
 * A decoded, record-level-valid input for the group assembler. The raw bytes travel along so a
 * record rejected later (group-level checks) is dead-lettered with its original payload. Passed
 * between processors of one sub-topology, so never serialised.
 */
sealed interface GroupEvent permits GroupEvent.CompletionArrived, GroupEvent.RewardArrived {
    byte[] raw();

    record CompletionArrived(IncomingCompletion completion, byte[] raw) implements GroupEvent {
    }

    record RewardArrived(Reward reward, byte[] raw) implements GroupEvent {
    }
}
