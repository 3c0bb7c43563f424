package dev.gopo.embedded;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the unpacked Apicurio Registry distribution (the directory holding
 * {@code apicurio-registry-app-<version>-runner.jar} and its {@code lib/}).
 *
 * <p>Lookup order: system property {@code gopo.registry.home}, environment variable
 * {@code GOPO_REGISTRY_HOME}, then {@code embedded/target/apicurio} under the current directory
 * or one of its parents (where {@code mvn package} unpacks it).
 */
public final class RegistryHome {
    public static final String VERSION = "2.6.13.Final";
    static final String RUNNER = "apicurio-registry-app-" + VERSION + "-runner.jar";

    private RegistryHome() {
    }

    public static Path runnerJar() {
        String configured = System.getProperty("gopo.registry.home", System.getenv("GOPO_REGISTRY_HOME"));
        if (configured != null && !configured.isBlank()) {
            Path jar = Path.of(configured).resolve(RUNNER);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
            throw new IllegalStateException("gopo.registry.home / GOPO_REGISTRY_HOME points to '" + configured
                    + "' but " + RUNNER + " is not there; run 'mvn -DskipTests package' to unpack it into embedded/target/apicurio");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve("embedded/target/apicurio").resolve(RUNNER);
            if (Files.isRegularFile(jar)) {
                return jar;
            }
        }
        throw new IllegalStateException("cannot find the Apicurio registry (" + RUNNER + "): run 'mvn -DskipTests package' from the "
                + "project root to unpack it into embedded/target/apicurio, or set GOPO_REGISTRY_HOME to its directory");
    }
}
