package dev.gopo.embedded;

import dev.gopo.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Locates the unpacked Apicurio Registry distribution (the directory holding
 * {@code apicurio-registry-app-<version>-runner.jar} and its {@code lib/}).
 *
 * <p>Lookup order, first match wins:
 * <ol>
 * <li>system property {@code gopo.registry.home}, then environment variable {@code GOPO_REGISTRY_HOME} (must hold it);</li>
 * <li>{@code embedded/target/apicurio} in a parent of the directory this class was loaded from, so that
 *     {@code <repo>/launcher/target/gopo-launcher.jar} finds {@code <repo>/embedded/target/apicurio} from any working
 *     directory (a container image or a service unit does not start in the repository);</li>
 * <li>{@code embedded/target/apicurio} under the current directory or one of its parents;</li>
 * <li>the distribution zip in the local Maven repository ({@code mvn package} downloads it there), unpacked once into
 *     {@code $XDG_CACHE_HOME/gopo} (default {@code ~/.cache/gopo}).</li>
 * </ol>
 */
public final class RegistryHome {
    private static final Logger log = LoggerFactory.getLogger(RegistryHome.class);
    public static final String VERSION = "2.6.13.Final";
    static final String RUNNER = "apicurio-registry-app-" + VERSION + "-runner.jar";
    static final String DIST_ZIP = "apicurio-registry-app-" + VERSION + "-all.zip";
    private static final Path UNPACKED = Path.of("embedded", "target", "apicurio");

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
        List<Path> searched = new ArrayList<>();
        Optional<Path> found = codeLocation().flatMap(dir -> inParents(dir, searched))
                .or(() -> inParents(Path.of("").toAbsolutePath(), searched));
        if (found.isPresent()) {
            return found.get();
        }
        Path zip = mavenRepository().resolve("io/apicurio/apicurio-registry-app").resolve(VERSION).resolve(DIST_ZIP);
        if (Files.isRegularFile(zip)) {
            return unpackOnce(zip, cacheDir().resolve("apicurio-" + VERSION)).resolve(RUNNER);
        }
        throw new IllegalStateException("cannot find the Apicurio registry (" + RUNNER + ") in embedded/target/apicurio above "
                + searched + " nor its distribution " + zip + ": run 'mvn -DskipTests package' in the project, "
                + "or set GOPO_REGISTRY_HOME to the directory holding " + RUNNER);
    }

    private static Optional<Path> inParents(Path start, List<Path> searched) {
        searched.add(start);
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path jar = dir.resolve(UNPACKED).resolve(RUNNER);
            if (Files.isRegularFile(jar)) {
                return Optional.of(jar);
            }
        }
        return Optional.empty();
    }

    /** The directory of the jar (or classes directory) this class was loaded from. */
    private static Optional<Path> codeLocation() {
        try {
            CodeSource source = RegistryHome.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null || !"file".equals(source.getLocation().getProtocol())) {
                return Optional.empty();
            }
            Path location = Path.of(source.getLocation().toURI()).toAbsolutePath();
            return Optional.ofNullable(Files.isDirectory(location) ? location : location.getParent());
        } catch (URISyntaxException | SecurityException e) {
            log.debug("cannot tell where {} was loaded from", RegistryHome.class.getName(), e);
            return Optional.empty();
        }
    }

    private static Path mavenRepository() {
        String configured = System.getProperty("maven.repo.local");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return (xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache")).resolve("gopo");
    }

    /**
     * Unpacks {@code zip} into {@code target} unless a previous run did. Unpacks into a sibling directory and renames it,
     * so that a concurrent or interrupted start never sees half a distribution.
     */
    static Path unpackOnce(Path zip, Path target) {
        if (Files.isRegularFile(target.resolve(RUNNER))) {
            return target;
        }
        log.info("unpacking the Apicurio registry {} into {} (once)", zip, target);
        try {
            Files.createDirectories(target.getParent());
            Path staging = Files.createTempDirectory(target.getParent(), target.getFileName() + ".unpacking-");
            try {
                unzip(zip, staging);
                if (!Files.isRegularFile(staging.resolve(RUNNER))) {
                    throw new IllegalStateException(zip + " does not hold " + RUNNER + " at its top level");
                }
                try {
                    Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException | java.nio.file.DirectoryNotEmptyException e) {
                    if (!Files.isRegularFile(target.resolve(RUNNER))) {
                        throw e;
                    }
                    // another process unpacked it first
                }
            } finally {
                FileTrees.deleteRecursively(staging);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void unzip(Path zip, Path into) throws IOException {
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                Path out = into.resolve(entry.getName()).normalize();
                if (!out.startsWith(into)) {
                    throw new IOException("zip entry " + entry.getName() + " leaves the target directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
