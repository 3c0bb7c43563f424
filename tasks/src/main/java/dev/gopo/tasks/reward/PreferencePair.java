package dev.gopo.tasks.reward;

/**
 * One simulated rater judgement: {@code chosen} was preferred over {@code rejected} for
 * {@code prompt}. The gold qualities are kept for diagnostics only (accuracy against the gold
 * ordering); a reward model never trains on them.
 */
public record PreferencePair(String prompt, String chosen, String rejected, double chosenGold, double rejectedGold) {

    public PreferencePair {
        if (prompt == null || chosen == null || rejected == null) {
            throw new IllegalArgumentException("prompt, chosen and rejected must all be present");
        }
    }

    /** True when the rater agreed with the gold ordering (false for gold ties and for flipped labels). */
    public boolean agreesWithGold() {
        return chosenGold > rejectedGold;
    }
}
