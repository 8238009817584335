package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.io.AtomicFiles;
import dev.gnc.io.Npy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * The folder of a run: its settings (run.properties), checkpoints, metrics, final arrays and
 * plots. A checkpoint is a folder {@code checkpoint-STEP} of arrays (a training run's W.npy,
 * H.npy and optimiser state), and checkpoint.properties names the latest complete one: it is
 * written (atomically) only after the arrays, so a run killed mid-checkpoint resumes from the
 * previous one. A code search keeps one such checkpoint per restart, in {@code restart-R}.
 */
final class RunDirectory {
    static final String SETTINGS = "run.properties";
    static final String CHECKPOINT = "checkpoint.properties";

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /** A new run's folder: created if absent; refused if it holds anything, so no run is ever overwritten. */
    static RunDirectory create(Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("--out " + dir + " exists and is not a folder");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IllegalArgumentException("--out " + dir + (Files.exists(dir.resolve(SETTINGS))
                            ? " holds another run; continue it with --resume " + dir + " or choose another folder"
                            : " is not empty; choose a new folder"));
                }
            }
        }
        Files.createDirectories(dir);
        return new RunDirectory(dir);
    }

    /**
     * A default folder: {@code parent/prefix-yyyyMMdd-HHmmss} for the time {@code now}, or with
     * {@code -2}, {@code -3}, ... appended when that one is taken, so two runs never share one,
     * even when they start in the same second (each name is claimed by an atomic create).
     */
    static RunDirectory createFresh(Path parent, String prefix, LocalDateTime now) throws IOException {
        Files.createDirectories(parent);
        String base = prefix + "-" + now.format(STAMP);
        for (int n = 1; ; n++) {
            Path dir = parent.resolve(n == 1 ? base : base + "-" + n);
            try {
                Files.createDirectory(dir);
                return new RunDirectory(dir);
            } catch (FileAlreadyExistsException taken) {
                // another run has this name: try the next
            }
        }
    }

    /** The folder of a run to continue, with a checkpoint. */
    static RunDirectory existing(Path dir) {
        RunDirectory run = existingSettings(dir);
        if (!run.hasCheckpoint()) {
            throw new IllegalArgumentException("--resume " + dir + " holds no checkpoint yet (no " + CHECKPOINT + ")");
        }
        return run;
    }

    /** The folder of a run to continue, whose checkpoints may lie in sub-folders. */
    static RunDirectory existingSettings(Path dir) {
        if (!Files.isRegularFile(dir.resolve(SETTINGS))) {
            throw new IllegalArgumentException("--resume " + dir + " holds no run (no " + SETTINGS + ")");
        }
        return new RunDirectory(dir);
    }

    /** The sub-folder {@code name}, for checkpoints of their own (it is made by the first one). */
    RunDirectory child(String name) {
        return new RunDirectory(dir.resolve(name));
    }

    boolean hasCheckpoint() {
        return Files.isRegularFile(dir.resolve(CHECKPOINT));
    }

    /** Writes the settings, headed by the command that made them ("gnc train settings"). */
    void writeSettings(Properties settings, String command) throws IOException {
        write(dir.resolve(SETTINGS), settings, command + " settings");
    }

    Properties settings() throws IOException {
        return read(dir.resolve(SETTINGS));
    }

    /**
     * Writes the arrays (W.npy, then H.npy when given) and the state arrays (state-0.npy, ...)
     * into a new checkpoint folder, then points checkpoint.properties at it and drops the older
     * one.
     */
    void checkpoint(long step, FloatMatrix w, FloatMatrix h, List<FloatMatrix> stateArrays, Properties state)
            throws IOException {
        String name = String.format("checkpoint-%09d", step);
        Path folder = dir.resolve(name);
        Files.createDirectories(folder);
        Npy.write(folder.resolve("W.npy"), w);
        if (h != null) {
            Npy.write(folder.resolve("H.npy"), h);
        }
        for (int i = 0; i < stateArrays.size(); i++) {
            Npy.write(folder.resolve(stateFile(i)), stateArrays.get(i));
        }
        Properties pointer = new Properties();
        pointer.putAll(state);
        pointer.setProperty("step", Long.toString(step));
        pointer.setProperty("folder", name);
        pointer.setProperty("optimiser_state_arrays", Integer.toString(stateArrays.size()));
        String previous = Files.exists(dir.resolve(CHECKPOINT)) ? checkpointState().getProperty("folder") : null;
        write(dir.resolve(CHECKPOINT), pointer, "the latest complete checkpoint");
        if (previous != null && !previous.equals(name)) {
            deleteTree(dir.resolve(previous));
        }
    }

    /** The file of optimiser state array {@code i} in a checkpoint folder. */
    static String stateFile(int i) {
        return "state-" + i + ".npy";
    }

    Properties checkpointState() throws IOException {
        return read(dir.resolve(CHECKPOINT));
    }

    /** The latest checkpoint's folder. */
    Path checkpointFolder() throws IOException {
        return dir.resolve(checkpointState().getProperty("folder"));
    }

    private static void write(Path file, Properties properties, String comment) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        properties.store(bytes, comment);
        AtomicFiles.write(file, bytes.toByteArray());
    }

    private static Properties read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.ISO_8859_1)) {
            p.load(in);
        }
        return p;
    }

    private static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
