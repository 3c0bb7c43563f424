package dev.gopo.tasks.judge;

/**
 * Pairwise win rate of a candidate policy against a baseline, ties counted as half a win:
 * <pre>
 * winRate = (wins + ties / 2) / comparisons
 * </pre>
 * with a percentile-bootstrap confidence interval over prompts: over comparisons when each prompt
 * has one, over whole prompts (a cluster bootstrap) when a prompt has several samples.
 *
 * @param winRate     point estimate in [0, 1]
 * @param ciLow       lower bound of the confidence interval
 * @param ciHigh      upper bound of the confidence interval
 * @param level       coverage of the interval, e.g. 0.95
 * @param comparisons number of comparisons
 * @param wins        candidate judged better
 * @param ties        judged equal
 * @param losses      baseline judged better
 */
public record WinRate(double winRate, double ciLow, double ciHigh, double level, int comparisons, int wins,
                      int ties, int losses) {

    public WinRate {
        if (wins + ties + losses != comparisons) {
            throw new IllegalArgumentException("wins " + wins + " + ties " + ties + " + losses " + losses
                    + " must equal comparisons " + comparisons);
        }
    }

    /** True when the whole interval lies above one half: the candidate is better at this level. */
    public boolean significantlyBetter() {
        return ciLow > 0.5;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "win rate %.3f [%.3f, %.3f] (%d%% CI; %d wins, %d ties, %d losses)",
                winRate, ciLow, ciHigh, Math.round(level * 100), wins, ties, losses);
    }
}
