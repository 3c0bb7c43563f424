package dev.gopo.rewardproducer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RewardProducerConfigTest {
    private static RewardProducerConfig parse(String... args) throws Exception {
        RewardProducerCommand command = new RewardProducerCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void defaults() throws Exception {
        RewardProducerConfig config = parse("--reward-model", "summarise=/tmp/rm");
        assertThat(config.groupId()).isEqualTo("gopo-reward-producer");
        assertThat(config.producerId()).isEqualTo("reward-producer-0");
        assertThat(config.scorer()).isEqualTo(ScorerKind.MODEL);
        assertThat(config.rewardModels()).containsEntry("summarise", Path.of("/tmp/rm"));
        assertThat(config.tokenizerFile()).isNull();
        assertThat(config.maxCompletions()).isZero();
        assertThat(config.idleTimeout()).isEqualTo(Duration.ZERO);
    }

    @Test
    void theLengthScorerNeedsNoModels() throws Exception {
        assertThat(parse("--scorer", "LENGTH").scorer()).isEqualTo(ScorerKind.LENGTH);
    }

    @Test
    void badValuesSayHowToFixThem() {
        assertThatThrownBy(() -> parse("--cache-dir", "no-such-cache")).hasMessageContaining("gopo prepare").hasMessageContaining("--reward-model");
        assertThatThrownBy(() -> parse("--scorer", "vibes")).hasMessageContaining("'model'").hasMessageContaining("'length'");
        assertThatThrownBy(() -> parse("--scorer", "length", "--group-id", "a b")).hasMessageContaining("--group-id");
        assertThatThrownBy(() -> parse("--scorer", "length", "--producer-id", " ")).hasMessageContaining("--producer-id");
        assertThatThrownBy(() -> parse("--scorer", "length", "--max-completions", "-1")).hasMessageContaining("--max-completions");
        assertThatThrownBy(() -> parse("--scorer", "length", "--idle-timeout", "-2")).hasMessageContaining("--idle-timeout");
    }

    @Test
    void theModelScorerTakesEveryRewardModelOfTheCache(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Path cache = dev.gopo.tasks.TaskFixtures.tinyCache(tmp.resolve("cache"), List.of("summarise"));
        assertThat(parse("--cache-dir", cache.toString()).rewardModels()).containsOnlyKeys("summarise");
        assertThatThrownBy(() -> new RewardProducerConfig("g", "p", ScorerKind.MODEL, java.util.Map.of(), null, 0, Duration.ZERO))
                .hasMessageContaining("--scorer length");
    }

    @Test
    void lengthScorerScoresCharacters() {
        try (LengthScorer scorer = new LengthScorer()) {
            assertThat(scorer.knows("anything")).isTrue();
            assertThat(scorer.score("t", List.of("p", "p"), List.of("", "abc de"))).containsExactly(0.0, 6.0);
        }
    }
}
