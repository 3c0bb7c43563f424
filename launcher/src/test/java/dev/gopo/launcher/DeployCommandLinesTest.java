package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Parses every {@code gopo} command line in {@code deploy/} (compose {@code command:}/{@code entrypoint:},
 * Kubernetes {@code args:}/{@code command:}) with the real picocli parser, so a flag a command does not have
 * fails the build instead of a container at start-up. Nothing is run: {@code parseArgs} only parses and
 * converts option values.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeployCommandLinesTest {

    /** The runtime image's entrypoint ends with the launcher jar; what follows it are gopo arguments. */
    private static final String LAUNCHER_JAR = "gopo-launcher.jar";

    /** One container's gopo arguments and where they come from (for the failure message). */
    record CommandLineSite(String where, List<String> args) {
    }

    static Path deployDir() {
        // Surefire runs in the module directory and sets basedir; deploy/ is the launcher's sibling.
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return base.resolveSibling("deploy").normalize();
    }

    @Test
    void everyDeployCommandLineParses() throws IOException {
        List<CommandLineSite> sites = gopoCommandLines(deployDir());
        // Compose: ranker, learner, generator, evaluator at least; Kubernetes: ranker and learner.
        assertThat(sites).as("gopo command lines found in " + deployDir()).hasSizeGreaterThanOrEqualTo(6);
        List<String> problems = new ArrayList<>();
        for (CommandLineSite site : sites) {
            try {
                ParseResult result = Gopo.commandLine().parseArgs(site.args().toArray(String[]::new));
                if (!result.hasSubcommand()) {
                    problems.add(site.where() + " " + site.args() + ": names no gopo command");
                } else if (result.subcommand().isUsageHelpRequested()) {
                    problems.add(site.where() + " " + site.args() + ": only asks for help");
                }
            } catch (CommandLine.ParameterException e) {
                problems.add(site.where() + " " + site.args() + ": " + e.getMessage());
            }
        }
        assertThat(problems).as("command lines in deploy/ that 'gopo' rejects").isEmpty();
    }

    @Test
    void aWrongFlagIsCaught() {
        // Guards the test above against parsing leniently (e.g. unmatched arguments allowed).
        CommandLine cli = Gopo.commandLine();
        try {
            cli.parseArgs("generator", "--policies-dir", "/data/learner/policies");
            fail("an unknown option parsed");
        } catch (CommandLine.UnmatchedArgumentException e) {
            assertThat(e.getMessage()).contains("--policies-dir");
        }
    }

    @Test
    void findsComposeAndKubernetesCommandLines() throws IOException {
        List<CommandLineSite> sites = gopoCommandLines(deployDir());
        assertThat(sites).extracting(CommandLineSite::where)
                .anyMatch(w -> w.contains("docker-compose.yml") && w.contains("generator"))
                .anyMatch(w -> w.contains("k8s") && w.contains("learner"));
    }

    /** Every container of a gopo image in every YAML file under {@code deploy}. */
    static List<CommandLineSite> gopoCommandLines(Path deploy) throws IOException {
        assertThat(deploy).as("deploy directory").isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(deploy)) {
            files = walk.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<CommandLineSite> sites = new ArrayList<>();
        for (Path file : files) {
            String name = deploy.relativize(file).toString();
            try (Reader reader = Files.newBufferedReader(file)) {
                for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                    if (doc instanceof Map<?, ?> map && map.get("services") instanceof Map<?, ?> services) {
                        composeServices(name, services, sites);
                    } else {
                        kubernetesContainers(name, doc, sites);
                    }
                }
            }
        }
        return sites;
    }

    private static void composeServices(String file, Map<?, ?> services, List<CommandLineSite> sites) {
        for (Map.Entry<?, ?> e : services.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> service && isGopoImage(service.get("image"))) {
                String where = file + " service " + e.getKey();
                List<String> args = new ArrayList<>(afterLauncherJar(where, service.get("entrypoint")));
                args.addAll(words(service.get("command")));
                sites.add(new CommandLineSite(where, args));
            }
        }
    }

    /** Walks a manifest for container specs ({@code name} + {@code image}); {@code command} replaces the entrypoint. */
    private static void kubernetesContainers(String file, Object node, List<CommandLineSite> sites) {
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("name") && isGopoImage(map.get("image"))) {
                String where = file + " container " + map.get("name");
                List<String> args = new ArrayList<>(afterLauncherJar(where, map.get("command")));
                args.addAll(words(map.get("args")));
                sites.add(new CommandLineSite(where, args));
            }
            map.values().forEach(v -> kubernetesContainers(file, v, sites));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> kubernetesContainers(file, v, sites));
        }
    }

    /** The image built by {@code deploy/compose/Dockerfile} is named {@code gopo} (any registry, any tag). */
    private static boolean isGopoImage(Object image) {
        if (!(image instanceof String s)) {
            return false;
        }
        String repository = s.contains("@") ? s.substring(0, s.indexOf('@')) : s;
        int colon = repository.lastIndexOf(':');
        if (colon > repository.lastIndexOf('/')) {
            repository = repository.substring(0, colon);
        }
        return repository.substring(repository.lastIndexOf('/') + 1).equals("gopo");
    }

    /** An entrypoint override must still start the launcher jar; the words after it are gopo arguments. */
    private static List<String> afterLauncherJar(String where, Object entrypoint) {
        List<String> words = words(entrypoint);
        if (words.isEmpty()) {
            return words;
        }
        for (int i = 0; i < words.size(); i++) {
            if (words.get(i).endsWith(LAUNCHER_JAR)) {
                return words.subList(i + 1, words.size());
            }
        }
        throw new AssertionError(where + ": entrypoint/command " + words + " does not start " + LAUNCHER_JAR);
    }

    /** Exec form (a list) or shell form (a string, split on blanks as compose does without a shell). */
    private static List<String> words(Object value) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        return Arrays.stream(String.valueOf(value).strip().split("\\s+")).filter(w -> !w.isEmpty()).toList();
    }
}
