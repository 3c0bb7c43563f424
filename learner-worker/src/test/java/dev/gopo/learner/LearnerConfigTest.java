package dev.gopo.learner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.schemas.topic.Estimator;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LearnerConfigTest {
    private static LearnerConfig parse(String... args) {
        LearnerCommand command = new LearnerCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void defaultsAreValidOnceAnInitPolicyIsGiven() {
        LearnerConfig config = parse("--init-policy", "/tmp/p");
        assertThat(config.groupsPerStep()).isEqualTo(LearnerDefaults.GROUPS_PER_STEP).isEqualTo(16);
        assertThat(config.trainer().loss().beta()).isEqualTo(0.04);
        assertThat(config.checkpointDir().toString()).endsWith("checkpoints");
        assertThat(config.maxStalenessSteps()).isEqualTo(LearnerDefaults.MAX_STALENESS_STEPS).isEqualTo(25);
        assertThat(config.trainer().optimizer().peakLr()).isEqualTo(3e-4);
        assertThat(config.maxPolicyLag()).as("the version bound is off unless asked for").isEqualTo(LearnerConfig.NO_VERSION_BOUND);
        assertThat(config.replay()).as("online unless --replay").isFalse();
        assertThat(parse("--init-policy", "/tmp/p", "--replay").replay()).isTrue();
        assertThat(parse("--init-policy", "/tmp/p", "--max-policy-lag", "3", "--max-staleness-steps", "7"))
                .satisfies(c -> assertThat(c.maxPolicyLag()).isEqualTo(3))
                .satisfies(c -> assertThat(c.maxStalenessSteps()).isEqualTo(7));
    }

    @Test
    void badValuesSayWhichOptionAndHowToFixIt() {
        assertThatThrownBy(() -> parse()).hasMessageContaining("--init-policy is required");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--groups-per-step", "0")).hasMessageContaining("--groups-per-step");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--max-policy-lag", "-1")).hasMessageContaining("--max-policy-lag");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--max-staleness-steps", "-1")).hasMessageContaining("--max-staleness-steps");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--learner-id", "a b")).hasMessageContaining("--learner-id");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--temperature", "0")).hasMessageContaining("temperature");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--lr", "-1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void drGrpoAdvantagesUseTheConstantNormaliser() {
        assertThat(parse("--init-policy", "p").lossNormaliser()).isEqualTo(dev.gopo.policy.training.LossNormaliser.tokenMean());
        assertThat(parse("--init-policy", "p", "--advantages", "dr-grpo", "--max-completion-tokens", "48").lossNormaliser())
                .isEqualTo(dev.gopo.policy.training.LossNormaliser.constant(48));
        assertThat(parse("--init-policy", "p", "--advantages", "grpo", "--max-completion-tokens", "48").lossNormaliser())
                .isEqualTo(dev.gopo.policy.training.LossNormaliser.tokenMean());
        assertThatThrownBy(() -> parse("--init-policy", "p", "--advantages", "dr-grpo")).hasMessageContaining("--max-completion-tokens");
        assertThatThrownBy(() -> parse("--init-policy", "p", "--max-completion-tokens", "-1")).hasMessageContaining("--max-completion-tokens");
    }

    /** {@code --advantages} takes a topic suffix and gives the ranker's estimator (the shared enum), whose name is announced. */
    @Test
    @org.junit.jupiter.api.Timeout(10)
    void theAdvantagesSuffixSelectsTheSharedEstimator() {
        assertThat(parse("--init-policy", "p").estimator()).isEqualTo(Estimator.GOPO);
        assertThat(parse("--init-policy", "p", "--advantages", "grpo").estimator()).isEqualTo(Estimator.GRPO);
        assertThat(parse("--init-policy", "p", "--advantages", "dr-grpo", "--max-completion-tokens", "12").estimator())
                .isEqualTo(Estimator.DR_GRPO);
        assertThat(parse("--init-policy", "p", "--advantages", "gopo-arbitrary-ties").estimator()).isEqualTo(Estimator.GOPO_ARBITRARY_TIES);
        assertThatThrownBy(() -> parse("--init-policy", "p", "--advantages", "DR-GRPO")).hasMessageContaining("--advantages")
                .hasMessageContaining("'dr-grpo'");
    }
}
