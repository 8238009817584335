package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.io.Npy;
import dev.gnc.metrics.OneVsRestResult;
import dev.gnc.ufm.CodeSearch;
import dev.gnc.ufm.CodeSearchResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc code}: searches for a softmax code and writes the best one found. */
@Command(name = "code", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Searches for a softmax code: K unit vectors in R^d with the largest margin min_k rho_k. "
                + "Each restart trains the tied spherical UFM (H = W) from its own random start with a conjugate-gradient "
                + "line search and a rising tau; the code with the best certified margin is written to DIR/W.npy.",
            "Finds the regular polygon (d = 2), the simplex (K = d + 1), the cross-polytope (K = 2d), the "
                + "icosahedron, the 600-cell and the E8 roots to 1e-6; see docs/CODES.md for what it finds elsewhere."})
final class CodeCommand implements Callable<Integer> {
    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--classes", paramLabel = "K", description = "Classes, >= 2 (required unless --resume).")
    Integer classes;

    @Option(names = "--dim", paramLabel = "d", description = "Dimension, >= 1 (required unless --resume).")
    Integer dim;

    @Option(names = "--restarts", paramLabel = "r",
            description = "Independent runs from different random starts; the best is kept (default: 8, or 1 from "
                    + "10,000 classes).")
    Integer restarts;

    @Option(names = "--seed", paramLabel = "s",
            description = "Seed of the first restart's start (default: 1).")
    Long seed;

    @Option(names = "--tau", paramLabel = "T",
            description = "Tau of the first stage, from the random start (default: 10).")
    Double tau;

    @Option(names = "--sharpness", paramLabel = "S1,S2,...", split = ",",
            description = "Later stages, each at tau = S / (1 - max cos) of the code so far: the logit gap between the "
                    + "nearest classes (default: 2,10,30, or 10,30 from 10,000 classes).")
    double[] sharpness;

    @Option(names = "--steps", paramLabel = "S",
            description = "At most this many line-search steps per stage; a stage ends sooner when no step lowers "
                    + "the loss (default: 2000, or 60 from 10,000 classes).")
    Integer steps;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder for W.npy, new or empty (default: a fresh "
            + "codes/code-dD-kK-DATE-TIME).")
    Path out;

    @Option(names = "--checkpoint-minutes", paramLabel = "M", defaultValue = "5",
            description = "Write each running restart's checkpoint at most every M minutes, and always when it stops "
                    + "or ends (default: ${DEFAULT-VALUE}).")
    double checkpointMinutes;

    @Option(names = "--stop-after", paramLabel = "STEPS", description = "Stop after this many steps (as the progress "
            + "counts them: a stage that ends early counts whole) with a checkpoint; continue with --resume.")
    Long stopAfter;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the search in DIR from its checkpoints, "
            + "with its settings.")
    Path resume;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        if (stopAfter != null && stopAfter < 1) {
            throw new IllegalArgumentException("--stop-after must be >= 1, got " + stopAfter);
        }
        if (!(checkpointMinutes >= 0 && checkpointMinutes < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("--checkpoint-minutes must be finite and >= 0, got " + checkpointMinutes);
        }
        RunDirectory resumed = resume == null ? null : RunDirectory.existingSettings(resume);
        if (resumed != null) {
            for (Object given : new Object[] {classes, dim, restarts, seed, tau, sharpness, steps, runtime.threads}) {
                if (given != null) {
                    throw new IllegalArgumentException("--resume " + resume + " continues with the settings in its "
                            + RunDirectory.SETTINGS + "; give no search options beside it");
                }
            }
        }
        Properties settings = resumed == null ? settingsFromOptions() : resumed.settings();
        int k = Integer.parseInt(settings.getProperty("classes")), d = Integer.parseInt(settings.getProperty("dim"));
        int threads = Integer.parseInt(settings.getProperty("threads"));
        Backend backend = runtime.backend();
        Map<String, Object> report = new LinkedHashMap<>();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(threads)) {
            CodeSearch.Builder search = CodeSearch.builder(k, d, pool)
                    .restarts(Integer.parseInt(settings.getProperty("restarts")))
                    .seed(Long.parseLong(settings.getProperty("seed")))
                    .initialTau(Double.parseDouble(settings.getProperty("tau")))
                    .sharpness(doubles(settings.getProperty("sharpness")))
                    .stepsPerStage(Integer.parseInt(settings.getProperty("steps")))
                    .gemm(backend.gemm()); // every option checked before the folder is made
            RunDirectory dir = resumed != null ? resumed : out != null ? RunDirectory.create(out)
                    : RunDirectory.createFresh(Path.of("codes"), "code-d" + d + "-k" + k, LocalDateTime.now());
            if (resumed == null) {
                dir.writeSettings(settings, "gnc code");
            } else if (Files.exists(dir.dir.resolve("W.npy"))) {
                throw new IllegalArgumentException("--resume " + dir.dir + " has finished: its code is "
                        + dir.dir.resolve("W.npy"));
            }
            CodeCheckpointFolder checkpoints = new CodeCheckpointFolder(dir, search.stages(), search.stepsPerStage(),
                    checkpointMinutes * 60);
            long before = checkpoints.stepsDone(Integer.parseInt(settings.getProperty("restarts")));
            if (resumed != null) {
                err.println("gnc: resuming " + dir.dir + " at step " + before + " of " + search.totalSteps());
            }
            Optional<CodeSearchResult> found = run(search.checkpoints(checkpoints), before, err, arena);
            if (found.isEmpty()) {
                err.println("gnc: " + (interrupted ? "interrupted" : "stopped after " + stopAfter + " steps")
                        + "; checkpoints written; continue with --resume " + dir.dir);
                return interrupted ? 130 : 0;
            }
            CodeSearchResult result = found.get();
            FloatMatrix w = result.code();
            Npy.write(dir.dir.resolve("W.npy"), w);
            boolean picture = d == 2 || d == 3;
            if (picture) {
                CodePicture.write(dir.dir.resolve("code.png"), CodePicture.rows(w), null, null,
                        String.format(Locale.ROOT, "softmax code, margin %.6f", result.margin()));
            }
            OneVsRestResult rho = result.distances();
            report.put("classes", k);
            report.put("dim", d);
            report.put("margin_min", rho.min());
            report.put("margin_mean", rho.mean());
            report.put("max_cosine", rho.maxCosine());
            report.put("certificate_gap", rho.certificateGap());
            report.put("restarts", result.margins().length);
            report.put("best_restart", result.bestRestart());
            report.put("restart_margins", Arrays.stream(result.margins()).boxed().toList());
            report.put("seed", Long.parseLong(settings.getProperty("seed")));
            report.put("seconds", seconds);
            report.put("backend", backend.kind().label());
            report.put("threads", threads);
            report.put("out", dir.dir.toString());
            report.put("files", picture ? List.of("W.npy", "code.png") : List.of("W.npy"));
        }
        Report.print(spec.commandLine().getOut(), report, json);
        return 0;
    }

    private boolean interrupted; // by Ctrl-C, as the last search stopped
    private double seconds;

    /**
     * The search with a progress bar, stopped by --stop-after or Ctrl-C (which waits for the
     * checkpoints); the seconds of this call go to {@link #seconds}.
     */
    private Optional<CodeSearchResult> run(CodeSearch.Builder search, long stepsBefore, PrintWriter err, Arena arena)
            throws IOException {
        AtomicLong stepsNow = new AtomicLong();
        long stopAt = stopAfter == null ? Long.MAX_VALUE : stopAfter;
        long start = System.nanoTime();
        try (InterruptRequest ctrlC = new InterruptRequest();
                ProgressOptions.Bar bar = progress.start(err, "code", stepsBefore, search.totalSteps(), "steps")) {
            LongConsumer shown = bar.step();
            Optional<CodeSearchResult> found = search.progress(n -> {
                stepsNow.addAndGet(n);
                shown.accept(n);
            }).stop(() -> ctrlC.requested() || stepsNow.get() >= stopAt).build().search(arena);
            interrupted = ctrlC.requested();
            return found;
        } catch (UncheckedIOException e) {
            throw e.getCause(); // a checkpoint that could not be written, named by its message
        } finally {
            seconds = (System.nanoTime() - start) / 1e9;
        }
    }

    private Properties settingsFromOptions() {
        if (classes == null || dim == null) {
            throw new IllegalArgumentException("gnc code needs --classes K and --dim d (or --resume DIR)");
        }
        if (classes < 2) {
            throw new IllegalArgumentException("--classes must be >= 2, got " + classes);
        }
        if (dim < 1) {
            throw new IllegalArgumentException("--dim must be >= 1, got " + dim);
        }
        if (restarts != null && restarts < 1) {
            throw new IllegalArgumentException("--restarts must be >= 1, got " + restarts);
        }
        if (steps != null && steps < 1) {
            throw new IllegalArgumentException("--steps must be >= 1, got " + steps);
        }
        Properties p = new Properties();
        try (WorkPool one = WorkPool.create(1)) {
            CodeSearch.Builder defaults = CodeSearch.builder(classes, dim, one);
            p.setProperty("restarts", Integer.toString(restarts != null ? restarts : defaults.restarts()));
            p.setProperty("sharpness", Arrays.stream(sharpness != null ? sharpness : defaults.sharpnessSchedule())
                    .mapToObj(Double::toString).collect(Collectors.joining(",")));
            p.setProperty("steps", Integer.toString(steps != null ? steps : defaults.stepsPerStage()));
        }
        p.setProperty("classes", Integer.toString(classes));
        p.setProperty("dim", Integer.toString(dim));
        p.setProperty("seed", Long.toString(seed != null ? seed : 1));
        p.setProperty("tau", Double.toString(tau != null ? tau : 10));
        p.setProperty("threads", Integer.toString(runtime.threads()));
        return p;
    }

    /** A comma-separated list of numbers, possibly empty. */
    private static double[] doubles(String list) {
        return list.isEmpty() ? new double[0] : Arrays.stream(list.split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
