package dev.gopo.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The cells of a study in the order the page shows them: modes ({@code online} before
 * {@code replay}), transforms ({@code identity} first), tasks by name, estimators GOPO first and then
 * its baselines. Labels the order does not know come after the known ones, by name.
 */
final class StudyIndex {
    static final List<String> MODE_ORDER = List.of("online", "replay");
    static final List<String> ESTIMATOR_ORDER = List.of("GOPO", "GOPO_ARBITRARY_TIES", "GRPO", "DR_GRPO", "RLOO");

    private final List<StudyRow> rows;

    StudyIndex(List<StudyRow> rows) {
        this.rows = List.copyOf(rows);
    }

    List<String> modes() {
        return sorted(rows.stream().map(StudyRow::mode).toList(), MODE_ORDER);
    }

    List<String> transforms(String mode) {
        return sorted(rows.stream().filter(r -> r.mode().equals(mode)).map(StudyRow::transform).toList(),
                List.of(StudyRow.IDENTITY));
    }

    List<String> tasks(String mode) {
        return List.copyOf(new TreeSet<>(rows.stream().filter(r -> r.mode().equals(mode)).map(r -> r.eval().task()).toList()));
    }

    List<String> estimators() {
        return sortEstimators(rows.stream().map(StudyRow::estimator).toList());
    }

    /** Seeds of the whole study, ascending. */
    Set<Long> seeds() {
        return new TreeSet<>(rows.stream().map(StudyRow::seed).toList());
    }

    /** The rows of one (mode, transform, task). */
    List<StudyRow> slice(String mode, String transform, String task) {
        return rows.stream().filter(r -> r.mode().equals(mode) && r.transform().equals(transform)
                && r.eval().task().equals(task)).toList();
    }

    static List<String> sortEstimators(Collection<String> estimators) {
        return sorted(estimators, ESTIMATOR_ORDER);
    }

    private static List<String> sorted(Collection<String> labels, List<String> known) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(labels));
        distinct.sort(Comparator.comparingInt((String label) -> known.contains(label) ? known.indexOf(label) : known.size())
                .thenComparing(Comparator.naturalOrder()));
        return distinct;
    }
}
