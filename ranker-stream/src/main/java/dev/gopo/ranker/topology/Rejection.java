package dev.gopo.ranker.topology;

import dev.gopo.platform.DeadLetterReason;

/** Why a record goes to the dead-letter topic: the reason code and a message that says what to fix. */
record Rejection(DeadLetterReason reason, String detail) {
}
