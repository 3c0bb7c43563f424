package dev.gopo.launcher.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The soak's faults, drawn up front from one seed so that a run can be repeated: {@code kills} worker kills, each of
 * a worker drawn uniformly from {@code workers}, and the broker restarts and registry outages placed at random
 * positions among them; before every fault a pause drawn uniformly from {@code [minPause, maxPause]}.
 */
public final class FaultPlan {
    /** What happens. */
    public enum Kind { KILL, BROKER_RESTART, REGISTRY_OUTAGE }

    /**
     * One fault.
     *
     * @param pauseBefore how long to wait after the previous fault (or the start)
     * @param worker      the worker to kill (null for infrastructure faults)
     */
    public record Fault(Kind kind, Duration pauseBefore, String worker) {
    }

    private FaultPlan() {
    }

    public static List<Fault> draw(long seed, List<String> workers, int kills, int brokerRestarts, int registryOutages,
                                   Duration minPause, Duration maxPause) {
        if (workers.isEmpty()) {
            throw new IllegalArgumentException("no workers to kill");
        }
        if (kills < 0 || brokerRestarts < 0 || registryOutages < 0) {
            throw new IllegalArgumentException("fault counts must be >= 0");
        }
        if (minPause.isNegative() || maxPause.compareTo(minPause) < 0) {
            throw new IllegalArgumentException("pauses must satisfy 0 <= min <= max, got " + minPause + " and " + maxPause);
        }
        Random random = new Random(seed);
        List<Kind> kinds = new ArrayList<>();
        for (int i = 0; i < kills; i++) {
            kinds.add(Kind.KILL);
        }
        // Infrastructure faults go between kills, never first or last, so workers are running when they happen and the
        // pipeline has kills after them to recover under.
        for (int i = 0; i < brokerRestarts + registryOutages; i++) {
            Kind kind = i < brokerRestarts ? Kind.BROKER_RESTART : Kind.REGISTRY_OUTAGE;
            int at = kinds.size() < 2 ? kinds.size() : 1 + random.nextInt(kinds.size() - 1);
            kinds.add(at, kind);
        }
        List<Fault> plan = new ArrayList<>();
        long span = maxPause.toMillis() - minPause.toMillis();
        for (Kind kind : kinds) {
            Duration pause = minPause.plusMillis(span == 0 ? 0 : (long) (random.nextDouble() * (span + 1)));
            String worker = kind == Kind.KILL ? workers.get(random.nextInt(workers.size())) : null;
            plan.add(new Fault(kind, pause, worker));
        }
        return List.copyOf(plan);
    }
}
