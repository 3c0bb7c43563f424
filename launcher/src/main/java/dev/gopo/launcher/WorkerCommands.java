package dev.gopo.launcher;

import dev.gopo.evaluator.EvaluatorCommand;
import dev.gopo.generator.GeneratorCommand;
import dev.gopo.generator.bench.GeneratorBenchmark;
import dev.gopo.generator.feed.FeedPromptsCommand;
import dev.gopo.learner.LearnerCommand;
import dev.gopo.learner.bench.LearnerBenchmark;
import dev.gopo.ranker.RankerCommand;
import dev.gopo.ranker.bench.RankerBenchmarkCommand;
import dev.gopo.rewardproducer.RewardProducerCommand;
import dev.gopo.tasks.PrepareCommand;
import picocli.CommandLine;

/** Registers the workers' own commands (each worker module owns its picocli command class). */
final class WorkerCommands {
    private WorkerCommands() {
    }

    static void register(CommandLine cli) {
        cli.addSubcommand(new PrepareCommand());
        cli.addSubcommand(new FeedPromptsCommand());
        cli.addSubcommand(new GeneratorCommand());
        cli.addSubcommand(new RankerCommand());
        cli.addSubcommand(new LearnerCommand());
        cli.addSubcommand(new EvaluatorCommand());
        cli.addSubcommand(new RewardProducerCommand());
        cli.addSubcommand(new RankerBenchmarkCommand());
        cli.addSubcommand(new LearnerBenchmark());
        cli.addSubcommand(new GeneratorBenchmark());
    }
}
