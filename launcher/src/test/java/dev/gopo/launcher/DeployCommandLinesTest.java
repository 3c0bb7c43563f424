package dev.gopo.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.gopo.schemas.topic.Estimator;
import dev.gopo.schemas.topic.TopicNames;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * Checks {@code deploy/} against the code, so a manifest that drifts fails the build instead of a container or a
 * cluster at start-up:
 * <ul>
 *   <li>every {@code gopo} command line (compose {@code command:}/{@code entrypoint:}, Kubernetes
 *       {@code args:}/{@code command:}) parses with the real picocli parser (nothing runs: {@code parseArgs} only
 *       parses and converts option values);</li>
 *   <li>every gopo container names the one image the launcher's {@code -Pimage} profile builds (property
 *       {@code gopo.image} of {@code launcher/pom.xml}, passed in by surefire);</li>
 *   <li>every Strimzi {@code KafkaTopic} is a topic of {@link TopicNames}/{@link Estimator}, every fixed topic has
 *       one, {@code policy-versions} has exactly one partition and completions and rewards are co-partitioned;</li>
 *   <li>Prometheus scrape annotations point at the {@code --metrics-port} of a container of the same pod.</li>
 * </ul>
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeployCommandLinesTest {

    /** One YAML document of a (possibly multi-document) file under deploy/. */
    record YamlDocument(String where, Object root) {
    }

    /** One container's gopo arguments and where they come from (for the failure message). */
    record CommandLineSite(String where, List<String> args) {
    }

    /** A compose service or Kubernetes container: where it is, its image, entrypoint override and arguments. */
    record Container(String where, String image, Object entrypoint, Object args) {
    }

    static Path deployDir() {
        // Surefire runs in the module directory and sets basedir; deploy/ is the launcher's sibling.
        Path base = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
        return base.resolveSibling("deploy").normalize();
    }

    /** The image Jib builds ({@code gopo.image} in launcher/pom.xml); surefire's systemPropertyVariables pass it. */
    static String jibImage() {
        String image = System.getProperty("gopo.image");
        assertThat(image).as("system property gopo.image (set by the launcher pom's surefire configuration; run the"
                + " test through Maven or pass -Dgopo.image=...)").isNotBlank();
        return image;
    }

    @Test
    void everyYamlDocumentParses() throws IOException {
        List<YamlDocument> docs = yamlDocuments(deployDir());
        List<String> problems = new ArrayList<>();
        for (YamlDocument doc : docs) {
            if (!(doc.root() instanceof Map<?, ?> map)) {
                problems.add(doc.where() + ": not a mapping");
            } else if (!map.containsKey("services")) {
                for (String key : List.of("apiVersion", "kind")) {
                    if (!(map.get(key) instanceof String)) {
                        problems.add(doc.where() + ": Kubernetes resource without " + key);
                    }
                }
                if (!(path(map, "metadata", "name") instanceof String)) {
                    problems.add(doc.where() + ": Kubernetes resource without metadata.name");
                }
            }
        }
        assertThat(problems).as("YAML documents in deploy/").isEmpty();
        // Compose file + topics, storage, config, infra, prepare, ranker, learner, generator, evaluator, feed-prompts.
        assertThat(docs).as("YAML documents found in " + deployDir()).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void everyDeployCommandLineParses() throws IOException {
        List<CommandLineSite> sites = gopoCommandLines(deployDir());
        // Compose: ranker, learner, generator, evaluator at least; Kubernetes: the same four.
        assertThat(sites).as("gopo command lines found in " + deployDir()).hasSizeGreaterThanOrEqualTo(8);
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
                .anyMatch(w -> w.contains("k8s") && w.contains("learner"))
                .anyMatch(w -> w.contains("k8s") && w.contains("generator"))
                .anyMatch(w -> w.contains("k8s") && w.contains("evaluator"))
                .anyMatch(w -> w.contains("k8s") && w.contains("ranker"));
    }

    @Test
    void everyGopoContainerUsesTheJibImage() throws IOException {
        String image = jibImage();
        List<Container> containers = containers(yamlDocuments(deployDir()));
        // Any image whose repository mentions gopo must be exactly the one Jib builds (not gopo:dev, not a second name).
        List<String> wrong = containers.stream()
                .filter(c -> repositoryName(c.image()).contains("gopo") && !c.image().equals(image))
                .map(c -> c.where() + " uses " + c.image())
                .toList();
        assertThat(wrong).as("containers in deploy/ that do not use the Jib image " + image).isEmpty();
        assertThat(containers).filteredOn(c -> c.image().equals(image)).as("containers of " + image)
                .hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void kafkaTopicsAreThePipelinesTopics() throws IOException {
        TopicNames names = TopicNames.defaults();
        Set<String> known = new TreeSet<>(names.all());
        Arrays.stream(Estimator.values()).forEach(e -> known.add(names.advantages(e.topicSuffix())));

        Map<String, Integer> partitions = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        List<YamlDocument> docs = yamlDocuments(deployDir());
        Set<String> kafkaClusters = docs.stream()
                .filter(d -> isStrimzi(d, "Kafka"))
                .map(d -> String.valueOf(path((Map<?, ?>) d.root(), "metadata", "name")))
                .collect(Collectors.toCollection(TreeSet::new));
        for (YamlDocument doc : docs) {
            if (!isStrimzi(doc, "KafkaTopic")) {
                continue;
            }
            Map<?, ?> topic = (Map<?, ?>) doc.root();
            Object topicName = path(topic, "spec", "topicName");
            String name = String.valueOf(topicName != null ? topicName : path(topic, "metadata", "name"));
            String where = doc.where() + " KafkaTopic " + name;
            if (!"kafka.strimzi.io/v1beta2".equals(topic.get("apiVersion"))) {
                problems.add(where + ": apiVersion " + topic.get("apiVersion") + ", expected kafka.strimzi.io/v1beta2");
            }
            if (!known.contains(name)) {
                problems.add(where + ": not a pipeline topic; known: " + known);
            }
            if (!(path(topic, "spec", "partitions") instanceof Integer n) || n < 1) {
                problems.add(where + ": spec.partitions must be a positive integer, is " + path(topic, "spec", "partitions"));
                continue;
            }
            if (partitions.put(name, n) != null) {
                problems.add(where + ": declared twice");
            }
            Object cluster = path(topic, "metadata", "labels", "strimzi.io/cluster");
            if (!kafkaClusters.isEmpty() && !kafkaClusters.contains(String.valueOf(cluster))) {
                problems.add(where + ": label strimzi.io/cluster=" + cluster + " names none of the Kafka clusters " + kafkaClusters);
            }
        }
        for (String fixed : names.all()) {
            if (!partitions.containsKey(fixed)) {
                problems.add("no KafkaTopic for " + fixed);
            }
        }
        if (partitions.containsKey(names.policyVersions()) && partitions.get(names.policyVersions()) != 1) {
            problems.add(names.policyVersions() + " has " + partitions.get(names.policyVersions())
                    + " partitions: it must have exactly one, so readers see versions in announcement order");
        }
        Integer completions = partitions.get(names.completions());
        Integer rewards = partitions.get(names.rewards());
        if (completions != null && rewards != null && !completions.equals(rewards)) {
            problems.add(names.completions() + " has " + completions + " partitions but " + names.rewards() + " has " + rewards
                    + ": the ranker joins them by partition and refuses to start");
        }
        assertThat(problems).as("KafkaTopic resources in deploy/").isEmpty();
    }

    @Test
    void prometheusAnnotationsPointAtTheMetricsPort() throws IOException {
        List<String> problems = new ArrayList<>();
        int annotated = 0;
        for (YamlDocument doc : yamlDocuments(deployDir())) {
            if (!(doc.root() instanceof Map<?, ?> root) || root.containsKey("services")) {
                continue;
            }
            Object template = path(root, "spec", "template");
            if (!(template instanceof Map<?, ?> pod)) {
                continue;
            }
            String where = doc.where() + " " + path(root, "kind") + " " + path(root, "metadata", "name");
            Set<String> metricsPorts = new TreeSet<>();
            for (Container c : containers(List.of(new YamlDocument(where, pod)))) {
                if (c.image().equals(jibImage())) {
                    ParseResult result = Gopo.commandLine().parseArgs(gopoArgs(c).args().toArray(String[]::new));
                    Integer port = result.subcommand().matchedOptionValue("--metrics-port", 0);
                    if (port != 0) {
                        metricsPorts.add(Integer.toString(port));
                    }
                }
            }
            Object scrape = path(pod, "metadata", "annotations", "prometheus.io/scrape");
            Object port = path(pod, "metadata", "annotations", "prometheus.io/port");
            if ("true".equals(scrape)) {
                annotated++;
                if (!metricsPorts.contains(String.valueOf(port))) {
                    problems.add(where + ": prometheus.io/port " + port + " is no container's --metrics-port " + metricsPorts);
                }
            } else if (!metricsPorts.isEmpty()) {
                problems.add(where + ": serves metrics on " + metricsPorts + " without prometheus.io/scrape: \"true\"");
            }
        }
        assertThat(problems).as("Prometheus scrape annotations in deploy/").isEmpty();
        assertThat(annotated).as("scraped pod templates (the learner at least)").isPositive();
    }

    private static boolean isStrimzi(YamlDocument doc, String kind) {
        return doc.root() instanceof Map<?, ?> map && kind.equals(map.get("kind"))
                && String.valueOf(map.get("apiVersion")).startsWith("kafka.strimzi.io/");
    }

    /** Every document of every YAML file under {@code deploy}. */
    static List<YamlDocument> yamlDocuments(Path deploy) throws IOException {
        assertThat(deploy).as("deploy directory").isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(deploy)) {
            files = walk.filter(p -> !p.toString().contains("/target/"))
                    .filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        List<YamlDocument> docs = new ArrayList<>();
        for (Path file : files) {
            String name = deploy.relativize(file).toString();
            try (Reader reader = Files.newBufferedReader(file)) {
                int index = 0;
                for (Object root : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(reader)) {
                    index++;
                    if (root != null) {
                        docs.add(new YamlDocument(name + (index > 1 ? " (document " + index + ")" : ""), root));
                    }
                }
            }
        }
        return docs;
    }

    /** Every compose service and Kubernetes container that names an image. */
    static List<Container> containers(List<YamlDocument> docs) {
        List<Container> containers = new ArrayList<>();
        for (YamlDocument doc : docs) {
            if (doc.root() instanceof Map<?, ?> map && map.get("services") instanceof Map<?, ?> services) {
                for (Map.Entry<?, ?> e : services.entrySet()) {
                    if (e.getValue() instanceof Map<?, ?> service && service.get("image") instanceof String image) {
                        containers.add(new Container(doc.where() + " service " + e.getKey(), image,
                                service.get("entrypoint"), service.get("command")));
                    }
                }
            } else {
                kubernetesContainers(doc.where(), doc.root(), containers);
            }
        }
        return containers;
    }

    /** Walks a manifest for container specs ({@code name} + {@code image}); {@code command} replaces the entrypoint. */
    private static void kubernetesContainers(String file, Object node, List<Container> containers) {
        if (node instanceof Map<?, ?> map) {
            if (map.containsKey("name") && map.get("image") instanceof String image) {
                containers.add(new Container(file + " container " + map.get("name"), image, map.get("command"), map.get("args")));
            }
            map.values().forEach(v -> kubernetesContainers(file, v, containers));
        } else if (node instanceof List<?> list) {
            list.forEach(v -> kubernetesContainers(file, v, containers));
        }
    }

    /** The gopo arguments of every container of the Jib image under {@code deploy}. */
    static List<CommandLineSite> gopoCommandLines(Path deploy) throws IOException {
        String image = jibImage();
        return containers(yamlDocuments(deploy)).stream().filter(c -> c.image().equals(image))
                .map(DeployCommandLinesTest::gopoArgs).toList();
    }

    private static CommandLineSite gopoArgs(Container c) {
        List<String> args = new ArrayList<>(afterMainClass(c.where(), c.entrypoint()));
        args.addAll(words(c.args()));
        return new CommandLineSite(c.where(), args);
    }

    /** {@code registry/path/name} of {@code registry/path/name:tag@digest}, without registry and path. */
    private static String repositoryName(String image) {
        String repository = image.contains("@") ? image.substring(0, image.indexOf('@')) : image;
        int colon = repository.lastIndexOf(':');
        if (colon > repository.lastIndexOf('/')) {
            repository = repository.substring(0, colon);
        }
        return repository.substring(repository.lastIndexOf('/') + 1);
    }

    /**
     * Jib's entrypoint ends with the main class; an override must still start it, and the words after it are gopo
     * arguments.
     */
    private static List<String> afterMainClass(String where, Object entrypoint) {
        List<String> words = words(entrypoint);
        if (words.isEmpty()) {
            return words;
        }
        int main = words.indexOf(Gopo.class.getName());
        if (main < 0) {
            throw new AssertionError(where + ": entrypoint/command " + words + " does not start " + Gopo.class.getName());
        }
        return words.subList(main + 1, words.size());
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

    /** The value at a path of mapping keys, or null. */
    private static Object path(Map<?, ?> map, String... keys) {
        Object node = map;
        for (String key : keys) {
            if (!(node instanceof Map<?, ?> m)) {
                return null;
            }
            node = m.get(key);
        }
        return node;
    }
}
