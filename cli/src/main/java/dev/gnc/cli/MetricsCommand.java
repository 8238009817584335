package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.ProductScan;
import dev.gnc.io.Npy;
import dev.gnc.metrics.CollapseMetrics;
import dev.gnc.metrics.OneVsRestDistance;
import dev.gnc.metrics.OneVsRestResult;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.OnSphereCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc metrics}: certified one-vs-rest distances of a code, and GNC1, GNC3 and accuracies with features. */
@Command(name = "metrics", mixinStandardHelpOptions = true,
        description = "Generalized-neural-collapse metrics: the exact one-vs-rest distance rho_k of every class "
                + "of W with its certificate, and with features and labels GNC1, GNC3 and the classifier's and "
                + "nearest-class-centre accuracy.")
final class MetricsCommand implements Callable<Integer> {
    /** How far a row's norm may be from 1 before it is not on the sphere (float32 rows of unit norm are ~1e-7 off). */
    private static final double UNIT_TOLERANCE = 1e-4;
    private static final Logger LOG = Logger.getLogger("gnc");

    @Mixin
    RuntimeOptions runtime;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--classifier", required = true, paramLabel = "W.npy", description = "Classifier rows, K x d.")
    Path classifier;

    @Option(names = "--features", paramLabel = "H.npy", description = "Feature rows, N x d (with --labels).")
    Path features;

    @Option(names = "--labels", paramLabel = "y.npy", description = "N labels in [0, K), int32 or int64.")
    Path labels;

    @Option(names = "--normalize", description = "Scale rows of W that are not unit norm, with a warning, "
            + "instead of stopping.")
    boolean normalize;

    @Option(names = "--rho-out", paramLabel = "rho.npy", description = "Write rho_k of every class, float64.")
    Path rhoOut;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Write a histogram of rho_k with the margin "
            + "and the 1 - max cos bound marked.")
    Path plot;

    @Option(names = "--candidates", paramLabel = "M", defaultValue = "64",
            description = "Nearest classes each solve starts from (default: ${DEFAULT-VALUE}).")
    int candidates;

    @Option(names = "--tolerance", paramLabel = "EPS", defaultValue = "1e-7",
            description = "Certificate gap worth another round (default: ${DEFAULT-VALUE}).")
    double tolerance;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if ((features == null) != (labels == null)) {
            throw new IllegalArgumentException("--features and --labels go together: give both or neither");
        }
        int threads = runtime.threads();
        Backend backend = runtime.backend();
        requireWritable(rhoOut, "--rho-out");
        requireWritable(plot, "--plot");
        PrintWriter err = spec.commandLine().getErr();
        Map<String, Object> report = new LinkedHashMap<>();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(threads)) {
            OneVsRestDistance.Builder distances = OneVsRestDistance.builder(pool).candidates(candidates)
                    .tolerance(tolerance).scan(new ProductScan(backend.gemm(), 256, 512)); // options checked first
            FloatMatrix w = Npy.readMatrix(classifier, arena);
            FloatMatrix h = features == null ? null : Npy.readMatrix(features, arena, w.cols());
            Labels y = labels == null ? null : Npy.readLabels(labels, arena, h.rows());
            onSphere(w, Oblique.normalising(pool));
            long start = System.nanoTime();
            OneVsRestResult rho;
            try (ProgressOptions.Bar bar = progress.start(err, "margins", w.rows(), "classes")) {
                rho = distances.progress(bar.step()).build().compute(w);
            }
            report.put("classes", w.rows());
            report.put("dim", w.cols());
            report.put("margin_min", rho.min());
            report.put("margin_mean", rho.mean());
            report.put("certificate_gap", rho.certificateGap());
            report.put("max_cosine", rho.maxCosine());
            report.put("margin_bound", 1 - rho.maxCosine());
            report.put("certificate_rounds", rho.rounds());
            if (h != null) {
                progress.stage(err, "collapse: class statistics, GNC1, GNC3 and two argmax passes over " + h.rows()
                        + " samples");
                CollapseMetrics collapse = CollapseMetrics.compute(w, h, y, pool);
                report.put("samples", h.rows());
                report.put("gnc1", collapse.gnc1());
                report.put("gnc3", collapse.gnc3());
                report.put("gnc3_uncentred", collapse.gnc3Uncentred());
                report.put("accuracy", collapse.accuracy());
                report.put("ncc_accuracy", collapse.nccAccuracy());
            }
            report.put("seconds", (System.nanoTime() - start) / 1e9);
            report.put("backend", backend.kind().label());
            report.put("threads", threads);
            if (rhoOut != null) {
                Npy.write(rhoOut, rho.rho());
                report.put("rho_out", rhoOut.toString());
            }
            if (plot != null) {
                MarginHistogram.write(plot, rho.rho(), rho.min(), 1 - rho.maxCosine(), w.cols());
                report.put("plot", plot.toString());
            }
        }
        Report.print(spec.commandLine().getOut(), report, json);
        return 0;
    }

    /** Output files go to folders that exist: checked before hours of work, not after. */
    private static void requireWritable(Path file, String option) {
        if (file != null) {
            Path parent = file.toAbsolutePath().getParent();
            if (!java.nio.file.Files.isDirectory(parent)) {
                throw new IllegalArgumentException(option + " " + file + ": folder " + parent + " does not exist");
            }
            if (java.nio.file.Files.isDirectory(file)) {
                throw new IllegalArgumentException(option + " " + file + " is a folder, not a file");
            }
        }
    }

    /** Rows off the unit sphere: an error naming the worst, or with --normalize a warning and scaled rows. */
    private void onSphere(FloatMatrix w, Oblique sphere) {
        OnSphereCheck check = sphere.check(w, UNIT_TOLERANCE);
        if (check.onSphere()) {
            return;
        }
        String worst = String.format("row %d of %s is %s away from unit norm (tolerance %s)", check.worstRow(),
                classifier, check.deviation(), UNIT_TOLERANCE);
        if (!normalize) {
            throw new IllegalArgumentException(worst + "; pass --normalize to scale the rows to unit norm");
        }
        LOG.warning(worst + ": normalising every row of W");
        sphere.projx(w, w);
    }
}
