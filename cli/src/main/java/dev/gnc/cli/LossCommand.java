package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.io.Npy;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import dev.gnc.loss.CrossEntropyResult;
import dev.gnc.loss.Reduction;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc loss}: the fused cross-entropy of arrays in .npy files, and optionally its gradients. */
@Command(name = "loss", mixinStandardHelpOptions = true,
        description = "Softmax cross-entropy of logits tau * H W^T (+ b) against labels, without materialising "
                + "the logits; optionally writes dW and dH.")
final class LossCommand implements Callable<Integer> {
    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--classifier", required = true, paramLabel = "W.npy", description = "Classifier rows, K x d.")
    Path classifier;

    @Option(names = "--features", required = true, paramLabel = "H.npy", description = "Feature rows, N x d.")
    Path features;

    @Option(names = "--labels", required = true, paramLabel = "y.npy", description = "N labels, int32 or int64.")
    Path labels;

    @Option(names = "--tau", required = true, paramLabel = "T", description = "Scale (inverse temperature).")
    double tau;

    @Option(names = "--bias", paramLabel = "b.npy", description = "Bias, K values.")
    Path bias;

    @Option(names = "--class-weights", paramLabel = "c.npy", description = "One weight per class, K values.")
    Path classWeights;

    @Option(names = "--reduction", paramLabel = "mean|sum", defaultValue = "mean",
            description = "How per-sample losses combine (default: ${DEFAULT-VALUE}).")
    String reduction;

    @Option(names = "--ignore-index", paramLabel = "I", defaultValue = "-100",
            description = "Label of samples to leave out (default: ${DEFAULT-VALUE}).")
    int ignoreIndex;

    @Option(names = "--label-smoothing", paramLabel = "EPS", defaultValue = "0",
            description = "Label smoothing in [0, 1] (default: ${DEFAULT-VALUE}).")
    double labelSmoothing;

    @Option(names = "--z-loss", paramLabel = "ZETA", defaultValue = "0",
            description = "z-loss coefficient: adds ZETA * lse^2 per sample (default: ${DEFAULT-VALUE}).")
    double zLoss;

    @Option(names = "--top-k", paramLabel = "K", defaultValue = "5",
            description = "Also count top-K hits (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--grad-out", paramLabel = "DIR",
            description = "Write DIR/dW.npy and DIR/dH.npy (and DIR/db.npy with --bias), float32.")
    Path gradOut;

    @Option(names = "--per-sample-out", paramLabel = "FILE.npy",
            description = "Write each sample's loss before reduction (0 for ignored samples), float32.")
    Path perSampleOut;

    @Option(names = "--lse-out", paramLabel = "FILE.npy", description = "Write each sample's log-sum-exp, float32.")
    Path lseOut;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        int threads = runtime.threads();
        Reduction how = switch (reduction.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "mean" -> Reduction.MEAN;
            case "sum" -> Reduction.SUM;
            default -> throw new IllegalArgumentException("--reduction must be mean or sum, got '" + reduction + "'");
        };
        if (gradOut != null && Files.exists(gradOut) && !Files.isDirectory(gradOut)) {
            throw new IllegalArgumentException("--grad-out " + gradOut + " exists and is not a directory");
        }
        Backend backend = runtime.backend();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(threads)) {
            FloatMatrix w = Npy.readMatrix(classifier, arena);
            FloatMatrix h = Npy.readMatrix(features, arena, w.cols());
            Labels y = Npy.readLabels(labels, arena, h.rows());
            FloatMatrix b = bias == null ? null : Npy.readVector(bias, arena, w.rows());
            CrossEntropy.Builder builder = CrossEntropy.builder(tau).reduction(how).ignoreIndex(ignoreIndex)
                    .labelSmoothing(labelSmoothing).zLoss(zLoss).topK(topK).pool(pool).gemm(backend.gemm());
            if (classWeights != null) {
                builder.classWeights(Npy.readVector(classWeights, arena, w.rows()));
            }
            CrossEntropy ce = builder.build();
            CrossEntropyOutputs out = CrossEntropyOutputs.create();
            FloatMatrix perSample = perSampleOut == null ? null : FloatMatrix.allocate(arena, h.rows(), 1);
            FloatMatrix lse = lseOut == null ? null : FloatMatrix.allocate(arena, h.rows(), 1);
            out.perSampleLoss(perSample).lse(lse);
            FloatMatrix dw = null, dh = null, db = null;
            if (gradOut != null) {
                dw = FloatMatrix.allocate(arena, w.rows(), w.cols());
                dh = FloatMatrix.allocate(arena, h.rows(), h.cols());
                out.classifierGradient(dw).featureGradient(dh);
                if (b != null) {
                    db = FloatMatrix.allocate(arena, w.rows(), 1);
                    out.biasGradient(db);
                }
            }
            long start = System.nanoTime();
            CrossEntropyResult r = gradOut == null ? ce.forward(w, b, h, y, out) : ce.forwardBackward(w, b, h, y, out);
            double seconds = (System.nanoTime() - start) / 1e9;
            if (gradOut != null) {
                Files.createDirectories(gradOut);
                Npy.write(gradOut.resolve("dW.npy"), dw);
                Npy.write(gradOut.resolve("dH.npy"), dh);
                if (db != null) {
                    Npy.writeVector(gradOut.resolve("db.npy"), db);
                }
            }
            if (perSample != null) {
                Npy.writeVector(perSampleOut, perSample);
            }
            if (lse != null) {
                Npy.writeVector(lseOut, lse);
            }
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("loss", r.loss());
            report.put("lse_mean", r.lseMean());
            report.put("accuracy", r.accuracy());
            report.put("top_k", topK);
            report.put("top_k_accuracy", r.samples() == 0 || topK == 0 ? Double.NaN : (double) r.topK() / r.samples());
            report.put("samples", r.samples());
            report.put("classes", w.rows());
            report.put("dim", w.cols());
            report.put("seconds", seconds);
            report.put("backend", backend.kind().label());
            report.put("threads", threads);
            if (gradOut != null) {
                report.put("grad_out", gradOut.toString());
            }
            Report.print(spec.commandLine().getOut(), report, json);
        }
        return 0;
    }
}
