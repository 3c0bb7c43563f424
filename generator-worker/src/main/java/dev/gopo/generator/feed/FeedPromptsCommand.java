package dev.gopo.generator.feed;

import dev.gopo.platform.ClusterOptions;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.platform.KafkaClients;
import dev.gopo.tasks.Split;
import dev.gopo.tasks.TaskRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gopo feed-prompts}: publishes built-in task prompts for the generators. */
@Command(name = "feed-prompts", mixinStandardHelpOptions = true,
        description = "Publish built-in task prompts (deterministic in the seed) to the prompts topic.")
public final class FeedPromptsCommand implements Callable<Integer> {
    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Option(names = "--tasks", split = ",", defaultValue = "summarise,constrained", description = "Tasks to draw prompts from. Default: ${DEFAULT-VALUE}")
    List<String> tasks;

    @Option(names = "--count", defaultValue = "256", description = "Prompts to publish. Default: ${DEFAULT-VALUE}")
    int count;

    @Option(names = "--split", defaultValue = "TRAIN", description = "TRAIN or EVAL. Default: ${DEFAULT-VALUE}")
    Split split;

    @Option(names = "--seed", defaultValue = "7", description = "Prompt seed. Default: ${DEFAULT-VALUE}")
    long seed;

    @Override
    public Integer call() {
        if (count < 1) {
            throw new IllegalArgumentException("--count must be >= 1, got " + count);
        }
        ClusterConfig config = cluster.toConfig();
        KafkaClients.requireBroker(config);
        KafkaClients.ensureTopics(config, List.of(config.topicNames().prompts()), 4);
        int n = PromptFeeder.publish(config, PromptFeeder.prompts(TaskRegistry.byNames(tasks), split, count, seed));
        System.out.printf("published %d %s prompts of %s to %s%n", n, split, tasks, config.topicNames().prompts());
        return 0;
    }
}
