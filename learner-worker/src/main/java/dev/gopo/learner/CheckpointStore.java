package dev.gopo.learner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gopo.files.FileTrees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints under {@code <dir>/step-NNNNNNNN/}, written atomically: everything goes into a
 * {@code .tmp} directory first, which is renamed into place, and only then does the {@code LATEST}
 * pointer (itself replaced by an atomic move) name it. A crash at any point leaves the previous
 * checkpoint as {@code LATEST}; leftover {@code .tmp} directories are removed at start-up.
 *
 * <p>Old checkpoints keep their small {@code checkpoint.json} (offsets and trained-group ledger) but
 * lose their trainer state, so the ledger of every group ever trained survives pruning.
 */
public final class CheckpointStore {
    private static final Logger log = LoggerFactory.getLogger(CheckpointStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LATEST = "LATEST";
    private static final String META = "checkpoint.json";

    /** Writes the trainer state (weights, optimizer state) into the given directory. */
    @FunctionalInterface
    public interface TrainerWriter {
        void write(Path trainerDir) throws IOException;
    }

    private final Path dir;
    private final int keepTrainerStates;

    public CheckpointStore(Path dir, int keepTrainerStates) {
        if (keepTrainerStates < 1) {
            throw new IllegalArgumentException("keepTrainerStates must be >= 1, got " + keepTrainerStates);
        }
        this.dir = dir;
        this.keepTrainerStates = keepTrainerStates;
        try {
            Files.createDirectories(dir);
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList()) {
                    log.warn("removing incomplete checkpoint {} left by a crash", p);
                    FileTrees.deleteRecursively(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot use checkpoint directory " + dir + ": " + e.getMessage(), e);
        }
    }

    public Optional<Checkpoint> latest() throws IOException {
        Path pointer = dir.resolve(LATEST);
        if (!Files.exists(pointer)) {
            return Optional.empty();
        }
        String name = Files.readString(pointer, StandardCharsets.UTF_8).trim();
        Path cp = dir.resolve(name);
        if (!Files.isRegularFile(cp.resolve(META))) {
            throw new IOException("checkpoint pointer " + pointer + " names " + cp + " but it has no " + META
                    + "; the checkpoint directory was modified by hand. Restore it or remove " + pointer + " to start over.");
        }
        return Optional.of(read(cp));
    }

    /** Every checkpoint's metadata, oldest first (also those whose trainer state was pruned). */
    public List<Checkpoint> all() throws IOException {
        List<Checkpoint> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("step-") && !p.toString().endsWith(".tmp"))
                    .sorted().toList()) {
                if (Files.isRegularFile(p.resolve(META))) {
                    out.add(read(p));
                }
            }
        }
        return out;
    }

    public Checkpoint save(long step, long policyVersion, Map<String, Long> offsets, List<String> trainedGroups,
                           TrainerWriter trainer) throws IOException {
        String name = String.format("step-%08d", step);
        Path tmp = dir.resolve(name + ".tmp");
        Path target = dir.resolve(name);
        FileTrees.deleteRecursively(tmp);
        Files.createDirectories(tmp);
        trainer.write(tmp.resolve("trainer"));
        ObjectNode meta = JSON.createObjectNode();
        meta.put("step", step);
        meta.put("policyVersion", policyVersion);
        ObjectNode off = meta.putObject("offsets");
        offsets.forEach(off::put);
        trainedGroups.forEach(meta.putArray("trainedGroups")::add);
        Files.writeString(tmp.resolve(META), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(meta), StandardCharsets.UTF_8);
        FileTrees.deleteRecursively(target);
        move(tmp, target);
        Path pointerTmp = dir.resolve(LATEST + ".tmp");
        Files.writeString(pointerTmp, name, StandardCharsets.UTF_8);
        move(pointerTmp, dir.resolve(LATEST));
        prune();
        return read(target);
    }

    private void prune() throws IOException {
        List<Path> withState;
        try (Stream<Path> s = Files.list(dir)) {
            withState = s.filter(p -> p.getFileName().toString().startsWith("step-") && Files.isDirectory(p.resolve("trainer")))
                    .sorted().toList();
        }
        for (int i = 0; i < withState.size() - keepTrainerStates; i++) {
            FileTrees.deleteRecursively(withState.get(i).resolve("trainer"));
        }
    }

    private static Checkpoint read(Path cp) throws IOException {
        JsonNode meta = JSON.readTree(cp.resolve(META).toFile());
        Map<String, Long> offsets = new LinkedHashMap<>();
        meta.path("offsets").fields().forEachRemaining(e -> offsets.put(e.getKey(), e.getValue().asLong()));
        List<String> groups = new ArrayList<>();
        meta.path("trainedGroups").forEach(g -> groups.add(g.asText()));
        return new Checkpoint(meta.path("step").asLong(), meta.path("policyVersion").asLong(), offsets, groups, cp);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the filesystem of " + to.getParent() + " cannot rename atomically; put --work-dir on a local filesystem", e);
        }
    }

}
