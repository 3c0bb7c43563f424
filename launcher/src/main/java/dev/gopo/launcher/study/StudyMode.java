package dev.gopo.launcher.study;

/** How a study cell gets its rollouts. */
public enum StudyMode {
    /**
     * The estimator's own online run: its generators sample from the policy it trains, so every estimator sees
     * different rollouts (the comparison users run in practice).
     */
    ONLINE,
    /**
     * A replay of the recorded rollouts of the same seed's online GOPO run with the identity transform: every
     * estimator and transform trains on identical rollouts, in the same order (the controlled comparison).
     */
    REPLAY;

    /** Lower-case name, as in {@code study.csv} and cell directory names. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
