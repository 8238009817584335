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
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
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

    @Option(names = "--classes", paramLabel = "K", required = true, description = "Classes, >= 2.")
    int classes;

    @Option(names = "--dim", paramLabel = "d", required = true, description = "Dimension, >= 1.")
    int dim;

    @Option(names = "--restarts", paramLabel = "r",
            description = "Independent runs from different random starts; the best is kept (default: 8, or 1 from "
                    + "10,000 classes).")
    Integer restarts;

    @Option(names = "--seed", paramLabel = "s", defaultValue = "1",
            description = "Seed of the first restart's start (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--tau", paramLabel = "T", defaultValue = "10",
            description = "Tau of the first stage, from the random start (default: ${DEFAULT-VALUE}).")
    double tau;

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

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
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
        int threads = runtime.threads();
        Backend backend = runtime.backend();
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> report = new LinkedHashMap<>();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(threads)) {
            CodeSearch.Builder search = CodeSearch.builder(classes, dim, pool).seed(seed).initialTau(tau)
                    .gemm(backend.gemm()); // every option checked before the folder is made
            if (restarts != null) {
                search.restarts(restarts);
            }
            if (sharpness != null) {
                search.sharpness(sharpness);
            }
            if (steps != null) {
                search.stepsPerStage(steps);
            }
            RunDirectory dir = out != null ? RunDirectory.create(out)
                    : RunDirectory.createFresh(Path.of("codes"), "code-d" + dim + "-k" + classes, LocalDateTime.now());
            long start = System.nanoTime();
            CodeSearchResult result;
            try (ProgressOptions.Bar bar = progress.start(err, "code", search.totalSteps(), "steps")) {
                result = search.progress(bar.step()).build().search(arena);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            FloatMatrix w = result.code();
            Npy.write(dir.dir.resolve("W.npy"), w);
            boolean picture = dim == 2 || dim == 3;
            if (picture) {
                CodePicture.write(dir.dir.resolve("code.png"), CodePicture.rows(w), null, null,
                        String.format(Locale.ROOT, "softmax code, margin %.6f", result.margin()));
            }
            OneVsRestResult rho = result.distances();
            report.put("classes", classes);
            report.put("dim", dim);
            report.put("margin_min", rho.min());
            report.put("margin_mean", rho.mean());
            report.put("max_cosine", rho.maxCosine());
            report.put("certificate_gap", rho.certificateGap());
            report.put("restarts", result.margins().length);
            report.put("best_restart", result.bestRestart());
            report.put("restart_margins", Arrays.stream(result.margins()).boxed().toList());
            report.put("seed", seed);
            report.put("seconds", seconds);
            report.put("backend", backend.kind().label());
            report.put("threads", threads);
            report.put("out", dir.dir.toString());
            report.put("files", picture ? List.of("W.npy", "code.png") : List.of("W.npy"));
        }
        Report.print(spec.commandLine().getOut(), report, json);
        return 0;
    }
}
