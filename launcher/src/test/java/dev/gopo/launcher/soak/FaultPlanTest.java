package dev.gopo.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.launcher.soak.FaultPlan.Fault;
import dev.gopo.launcher.soak.FaultPlan.Kind;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultPlanTest {
    private static final List<String> WORKERS = List.of("generator-0", "generator-1", "ranker-0", "ranker-1", "learner", "reward-producer");

    @Test
    void theSameSeedDrawsTheSamePlanAndAnotherSeedAnother() {
        List<Fault> a = FaultPlan.draw(42, WORKERS, 20, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(15));
        assertThat(FaultPlan.draw(42, WORKERS, 20, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(15))).isEqualTo(a);
        assertThat(FaultPlan.draw(43, WORKERS, 20, 1, 1, Duration.ofSeconds(5), Duration.ofSeconds(15))).isNotEqualTo(a);
    }

    @Test
    void makesEveryFaultAskedForWithInfrastructureFaultsBetweenKills() {
        List<Fault> plan = FaultPlan.draw(7, WORKERS, 20, 2, 3, Duration.ofSeconds(5), Duration.ofSeconds(15));

        assertThat(plan).hasSize(25);
        assertThat(plan.stream().filter(f -> f.kind() == Kind.KILL)).hasSize(20).allMatch(f -> WORKERS.contains(f.worker()));
        assertThat(plan.stream().filter(f -> f.kind() == Kind.BROKER_RESTART)).hasSize(2);
        assertThat(plan.stream().filter(f -> f.kind() == Kind.REGISTRY_OUTAGE)).hasSize(3);
        assertThat(plan.get(0).kind()).isEqualTo(Kind.KILL);
        assertThat(plan.get(plan.size() - 1).kind()).isEqualTo(Kind.KILL);
        assertThat(plan).allMatch(f -> f.pauseBefore().compareTo(Duration.ofSeconds(5)) >= 0 && f.pauseBefore().compareTo(Duration.ofSeconds(15)) <= 0);
        // with 20 kills over 6 workers, every worker type is hit
        assertThat(plan.stream().map(Fault::worker).filter(w -> w != null).distinct()).hasSizeGreaterThanOrEqualTo(5);
    }

    @Test
    void refusesBadBounds() {
        assertThatThrownBy(() -> FaultPlan.draw(1, WORKERS, 1, 0, 0, Duration.ofSeconds(5), Duration.ofSeconds(1)))
                .hasMessageContaining("min <= max");
        assertThatThrownBy(() -> FaultPlan.draw(1, List.of(), 1, 0, 0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("no workers");
    }
}
