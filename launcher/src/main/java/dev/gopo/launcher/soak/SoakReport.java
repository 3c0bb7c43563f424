package dev.gopo.launcher.soak;

import dev.gopo.launcher.soak.GroupAccounting.Pending;
import dev.gopo.launcher.soak.GroupAccounting.Tally;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The soak's closing report: faults, every group's fate, the verdict, and what the workers logged. */
record SoakReport(SoakSettings settings, Tally tally, Map<String, Integer> killsByType, List<SoakWorker> workers, int kills,
                  int brokerRestarts, int registryOutages, int faultsPlanned, int faultsDone, int promptsFed, int feedFailures,
                  boolean drained, double wallSeconds, double prepareSeconds, long faultSeconds, long drainSeconds,
                  List<WorkerLogs.Kind> logged) {
    private static final int OUR_KINDS = 15;
    private static final int CLIENT_KINDS = 6;
    private static final int IDS_SHOWN = 10;

    String format() {
        StringBuilder b = new StringBuilder();
        line(b, "gopo soak report, %s, seed %d", Instant.now().truncatedTo(ChronoUnit.SECONDS), settings.seed());
        line(b, "wall time: %s (prepare %.0f s, faults %d s, drain %d s, the rest start-up, stop and accounting)", duration(wallSeconds),
                prepareSeconds, faultSeconds, drainSeconds);
        line(b, "faults: %d of %d made: %d worker kills (kill -9, then a restart with the same arguments), %d broker restarts, %d registry outages (%d s down each)",
                faultsDone, faultsPlanned, kills, brokerRestarts, registryOutages, settings.outage().toSeconds());
        line(b, "kills per worker type: %s", killsByType.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")));
        String ownExits = workers.stream().filter(w -> w.ownExits() > 0)
                .map(w -> w.name() + " " + w.ownExits() + "x (last " + w.lastOwnExit() + ")").collect(Collectors.joining(", "));
        line(b, "workers that exited on their own (restarted by the soak): %s", ownExits.isEmpty() ? "none" : ownExits);
        line(b, "prompts: %d fed by 'gopo feed-prompts' in %d batches (%d failed attempts, retried); %d prompt records on the topic",
                promptsFed, settings.feedBatches(), feedFailures, tally.produced());
        line(b, "drain: %s", drained ? "every fed group ranked or dead-lettered, learner quiet" : "timed out (--drain-timeout)");
        b.append('\n');
        line(b, "groups produced (one per prompt record):      %6d", tally.produced());
        line(b, "  trained exactly once (learner ledger):     %6d", tally.trained() - tally.doubledInLedger());
        line(b, "  trained more than once:                    %6d", tally.doubledInLedger());
        line(b, "  dead-lettered:                             %6d%s", tally.deadLetteredTotal(), byReason(tally.deadLettered()));
        line(b, "  pending (in flight):                       %6d (ranked, not yet trained %d; sampled, not yet ranked %d; prompt not yet sampled %d)",
                tally.pendingTotal(), tally.pending().get(Pending.RANKED), tally.pending().get(Pending.SAMPLED), tally.pending().get(Pending.NOT_SAMPLED));
        line(b, "  LOST:                                      %6d%s", tally.lost(), ids(tally.lostIds()));
        line(b, "doubled in the learner's ledger:             %6d%s", tally.doubledInLedger(), ids(tally.doubledLedgerIds()));
        line(b, "doubled on advantages (read_committed):      %6d%s", tally.doubledOnAdvantages(), ids(tally.doubledAdvantageIds()));
        line(b, "trained but never fed:                       %6d%s", tally.unknownTrained().size(), ids(tally.unknownTrained()));
        if (!tally.trainedAlsoDeadLettered().isEmpty()) {
            line(b, "trained groups that also have a dead letter (a late copy after the group was emitted): %s",
                    byReason(tally.trainedAlsoDeadLettered()).strip());
        }
        line(b, "result: %s", tally.clean() ? "PASS: 0 lost, 0 doubled" : "FAIL: " + tally.lost() + " lost, " + tally.doubledInLedger()
                + " doubled in the ledger, " + tally.doubledOnAdvantages() + " doubled on advantages, " + tally.unknownTrained().size()
                + " trained but never fed");
        if (faultsDone < faultsPlanned) {
            line(b, "incomplete: only %d of %d faults were made before --timeout", faultsDone, faultsPlanned);
        }
        b.append('\n');
        line(b, "what the workers logged (logs under %s; WARN/ERROR lines and 'reachable again', numbers and ids masked, most frequent first):",
                settings.workDir().resolve("logs"));
        kinds(b, "the pipeline's own lines", logged.stream().filter(WorkerLogs.Kind::ours).toList(), OUR_KINDS);
        kinds(b, "other libraries' lines (Kafka clients, Kafka Streams, DJL)", logged.stream().filter(k -> !k.ours()).toList(), CLIENT_KINDS);
        return b.toString();
    }

    private static void kinds(StringBuilder b, String title, List<WorkerLogs.Kind> kinds, int shown) {
        line(b, "  %s:%s", title, kinds.isEmpty() ? " none" : "");
        kinds.stream().limit(shown).forEach(k -> line(b, "  %5dx %-5s %s - %s", k.count(), k.level(), k.logger(), k.message()));
        if (kinds.size() > shown) {
            line(b, "  … and %d other kinds of line", kinds.size() - shown);
        }
    }

    private static String byReason(Map<String, Integer> reasons) {
        return reasons.isEmpty() ? "" : " (" + reasons.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")";
    }

    private static String ids(List<String> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        String shown = ids.stream().limit(IDS_SHOWN).collect(Collectors.joining(", "));
        return " (" + shown + (ids.size() > IDS_SHOWN ? ", …" : "") + ")";
    }

    private static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + " min " + (s % 60) + " s" : s + " s";
    }

    private static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}
