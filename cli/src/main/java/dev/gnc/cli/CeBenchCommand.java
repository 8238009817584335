package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc bench ce}: seconds per fused forward+backward step against its bare GEMMs. */
@Command(name = "ce", mixinStandardHelpOptions = true,
        description = "Time fused cross-entropy forward+backward steps on random unit rows and compare them with "
                + "the bare GEMMs the algorithm needs on the same shapes. A quick check, not a substitute for JMH.")
final class CeBenchCommand implements Callable<Integer> {
    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "100000", description = "Classes (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "1024", description = "Features per step (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--dim", paramLabel = "d", defaultValue = "64", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--tau", paramLabel = "T", defaultValue = "30", description = "Scale (default: ${DEFAULT-VALUE}).")
    double tau;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5",
            description = "Timed steps, after at least two warm-up steps and three seconds; the median is reported "
                    + "(default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int threads = runtime.threads();
        require(classes >= 1, "--classes must be at least 1, got " + classes);
        require(batch >= 1, "--batch must be at least 1, got " + batch);
        require(dim >= 1, "--dim must be at least 1, got " + dim);
        require(repeats >= 1, "--repeats must be at least 1, got " + repeats);
        Backend backend = runtime.backend();
        PrintWriter err = spec.commandLine().getErr();
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(threads)) {
            err.printf("gnc bench ce: K = %d, N = %d, d = %d, %s, %d threads: preparing data%n", classes, batch, dim,
                    backend.kind().label(), threads);
            err.flush();
            FloatMatrix w = RandomMatrices.unitRows(arena, classes, dim, 1, pool);
            FloatMatrix h = RandomMatrices.unitRows(arena, batch, dim, 2, pool);
            Labels y = RandomMatrices.uniformLabels(arena, batch, classes, 3);
            FloatMatrix dw = FloatMatrix.allocate(arena, classes, dim);
            FloatMatrix dh = FloatMatrix.allocate(arena, batch, dim);
            CrossEntropy ce = CrossEntropy.builder(tau).pool(pool).gemm(backend.gemm()).checkFinite(false).build();
            CrossEntropyOutputs out = CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh);
            double step = median("fused forward+backward", err, () -> ce.forwardBackward(w, null, h, y, out));
            double gemm = median("bare GEMMs", err, () -> ce.roofline(w, h, y, out));
            double logits = (double) classes * batch;
            Map<String, Object> report = new LinkedHashMap<>();
            report.put("classes", classes);
            report.put("batch", batch);
            report.put("dim", dim);
            report.put("threads", threads);
            report.put("backend", backend.kind().label());
            report.put("step_seconds", step);
            report.put("gemm_seconds", gemm);
            report.put("ratio_to_gemm", step / gemm);
            report.put("logits_per_second", logits / step);
            report.put("gflops", 4 * 2 * logits * dim / step / 1e9); // four GEMMs' worth of flops per step
            report.put("peak_rss_bytes", peakRss());
            report.put("inputs_outputs_bytes", 4L * 2 * ((long) classes + batch) * dim); // W, dW, H, dH
            Report.print(spec.commandLine().getOut(), report, json);
        }
        return 0;
    }

    private double median(String what, PrintWriter err, Runnable step) {
        // warm up for two steps and at least three seconds, so C2 has compiled the kernels
        long warmStart = System.nanoTime();
        for (int i = 0; i < 2 || System.nanoTime() - warmStart < 3_000_000_000L; i++) {
            step.run();
        }
        double[] seconds = new double[repeats];
        for (int i = 0; i < repeats; i++) {
            long start = System.nanoTime();
            step.run();
            seconds[i] = (System.nanoTime() - start) / 1e9;
            err.printf("\r%s: step %d/%d, %.4f s", what, i + 1, repeats, seconds[i]);
            err.flush();
        }
        err.println();
        Arrays.sort(seconds);
        return repeats % 2 == 1 ? seconds[repeats / 2] : (seconds[repeats / 2 - 1] + seconds[repeats / 2]) / 2;
    }

    /** The process's peak resident set (VmHWM) in bytes, or -1 where /proc does not say. */
    static long peakRss() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
