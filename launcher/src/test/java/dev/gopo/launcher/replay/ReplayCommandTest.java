package dev.gopo.launcher.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gopo.learner.LearnerConfig;
import dev.gopo.learner.LearnerDefaults;
import dev.gopo.ranker.advantage.RewardTransform;
import dev.gopo.schemas.topic.Estimator;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(10)
class ReplayCommandTest {
    private static final Path P = Path.of("policy");
    private static final Map<String, Path> RM = Map.of("summarise", Path.of("rm"));

    private static Replay.Settings parse(String... args) {
        ReplayCommand command = new ReplayCommand();
        // the conventions of the gopo command line (WorkerProcess.withConventions): enum values in any case
        new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).parseArgs(args);
        return command.settings(P, RM);
    }

    @Test
    void defaultsComeFromTheWorkersDefaultsAndTheSourceIsTheTopicPrefix() {
        Replay.Settings s = parse("--prefix", "replay-1.");
        assertThat(s.sourcePrefix()).isEqualTo("gopo.");
        assertThat(s.targetPrefix()).isEqualTo("replay-1.");
        assertThat(s.estimator()).isEqualTo(Estimator.GOPO);
        assertThat(s.transform()).isEqualTo(RewardTransform.identity());
        assertThat(s.steps()).as("every complete group").isZero();
        assertThat(s.groupsPerStep()).isEqualTo(LearnerDefaults.GROUPS_PER_STEP);
        assertThat(s.lr()).isEqualTo(LearnerDefaults.LR);
        assertThat(s.workDir()).isEqualTo(Path.of("gopo-work", "replay", "replay-1."));
        Replay.Settings grpo = parse("--prefix", "r2.", "--topic-prefix", "run7.", "--estimator", "grpo", "--reward-transform", "power:3");
        assertThat(grpo.sourcePrefix()).isEqualTo("run7.");
        assertThat(grpo.estimator()).isEqualTo(Estimator.GRPO);
        assertThat(grpo.transform().label()).isEqualTo("power:3");
        assertThat(parse("--prefix", "r3.", "--source-prefix", "old.").sourcePrefix()).isEqualTo("old.");
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> parse("--prefix", "gopo.")).hasMessageContaining("--prefix 'gopo.' equals --source-prefix");
        assertThatThrownBy(() -> parse("--prefix", "x.", "--source-prefix", "x.")).hasMessageContaining("never writes");
        assertThatThrownBy(() -> parse("--prefix", "x.", "--reward-transform", "cube")).hasMessageContaining("reward transform 'cube'")
                .hasMessageContaining("power:P");
        assertThatThrownBy(() -> parse("--prefix", "bad prefix")).hasMessageContaining("topic prefix");
        assertThatThrownBy(() -> parse()).isInstanceOf(CommandLine.MissingParameterException.class).hasMessageContaining("--prefix");
    }

    @Test
    void theReplayLearnerIsAFreshLearnerInReplayModeUnderTheTargetPrefix() {
        Replay.Settings s = parse("--prefix", "r9.", "--groups-per-step", "4", "--checkpoint-every", "3");
        LearnerConfig c = Replay.learnerConfig(s, 12, Path.of("w", "learner"));
        assertThat(c.replay()).isTrue();
        assertThat(c.learnerId()).isEqualTo("r9.learner");
        assertThat(c.maxSteps()).isEqualTo(12);
        assertThat(c.groupsPerStep()).isEqualTo(4);
        assertThat(c.initPolicyDir()).isEqualTo(P);
        assertThat(dev.gopo.launcher.OnlineTraining.evaluatedEvery(4, 3)).isEqualTo(2);
    }
}
