package dev.gopo.launcher;

import dev.gopo.embedded.EmbeddedInfra;
import dev.gopo.platform.ClusterOptions.ClusterConfig;
import dev.gopo.schemas.topic.TopicNames;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gopo run}: the main job on the embedded default (no external services). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run the main job on the embedded default: start a KRaft broker and the schema registry on this machine,",
                "run the pipeline against them, print what happened and shut everything down."})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--work-dir", defaultValue = "gopo-work/run", description = "Working directory for broker data, models and outputs. Default: ${DEFAULT-VALUE}")
    Path workDir;

    @Override
    public Integer call() throws Exception {
        try (EmbeddedInfra infra = EmbeddedInfra.start(workDir.resolve("infra"), 4, true)) {
            System.out.println("embedded broker at " + infra.bootstrapServers() + ", registry at " + infra.registryUrl());
            ClusterConfig cluster = new ClusterConfig(infra.bootstrapServers(), infra.registryUrl(), TopicNames.defaults());
            return SmokeCommand.run(cluster, 100) ? 0 : 1;
        }
    }
}
