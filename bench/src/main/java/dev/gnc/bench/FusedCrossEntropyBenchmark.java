package dev.gnc.bench;

import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import dev.gnc.loss.CrossEntropyResult;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The fused softmax cross-entropy at extreme K, beside what bounds it in the same run:
 * <ul>
 *   <li>{@code forward}, {@code forwardBackward}: the kernel (loss; loss, dW and dH), mean reduction;</li>
 *   <li>{@code gemmForward}, {@code gemmForwardBackward}: {@link CrossEntropy#roofline}, only the GEMMs
 *       the kernel runs, on the same tiles and threads (one product forward; four with the backward
 *       pass), no epilogue;</li>
 *   <li>{@code naiveForwardBackward}: materialised N x K logits, then softmax, then two big GEMMs,
 *       as a framework does (only where N x K floats fit, K <= 10^5).</li>
 * </ul>
 * W and H rows are unit vectors, tau = 30. Each trial first checks the kernel's loss against the
 * naive path (or, where that does not fit, that the loss is finite and positive).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow",
        "-Xmx4g"})
public class FusedCrossEntropyBenchmark {
    @Param({"100000"})
    public int classes;

    @Param({"1024"})
    public int batch;

    @Param({"64"})
    public int dim;

    @Param({"2"})
    public int threads;

    @Param({"openblas"})
    public String backend;

    private Arena arena;
    private WorkPool pool;
    private Gemm gemm;
    private CrossEntropy ce;
    private CrossEntropy ceTopK;
    private FloatMatrix w;
    private FloatMatrix h;
    private Labels y;
    private FloatMatrix dw;
    private FloatMatrix dh;
    private NaiveCrossEntropy naive;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        pool = WorkPool.create(threads);
        gemm = Backend.select(backend, OpenBlasLoader.fromEnvironment()::load).gemm();
        SplittableRandom random = new SplittableRandom(1);
        w = BenchData.unitRows(arena, classes, dim, random);
        h = BenchData.unitRows(arena, batch, dim, random);
        y = Labels.allocate(arena, batch);
        for (int i = 0; i < batch; i++) {
            y.set(i, random.nextInt(classes));
        }
        dw = FloatMatrix.allocate(arena, classes, dim);
        dh = FloatMatrix.allocate(arena, batch, dim);
        ce = CrossEntropy.builder(30).pool(pool).gemm(gemm).checkFinite(false).build();
        ceTopK = CrossEntropy.builder(30).pool(pool).gemm(gemm).checkFinite(false).topK(5).build();
        double loss = forward().loss();
        if ((long) batch * classes <= 100_000L * 4096) {
            naive = new NaiveCrossEntropy(gemm, pool, arena, classes, batch, dim);
            double reference = naive.forwardBackward(30, w, h, y, dw, dh);
            if (Math.abs(reference - loss) > 1e-4 * Math.abs(reference)) {
                throw new IllegalStateException("fused loss " + loss + " differs from the naive " + reference);
            }
        } else if (!(loss > 0 && Double.isFinite(loss))) {
            throw new IllegalStateException("fused loss is " + loss);
        }
    }

    @Benchmark
    public CrossEntropyResult forward() {
        return ce.forward(w, h, y);
    }

    /** The forward pass that also counts top-1 and top-5 hits (ranks each target among its logits). */
    @Benchmark
    public CrossEntropyResult forwardTopK() {
        return ceTopK.forward(w, h, y);
    }

    @Benchmark
    public CrossEntropyResult forwardBackward() {
        return ce.forwardBackward(w, null, h, y, CrossEntropyOutputs.create().classifierGradient(dw)
                .featureGradient(dh));
    }

    @Benchmark
    public FloatMatrix gemmForward() {
        ce.roofline(w, h, y, CrossEntropyOutputs.create());
        return w;
    }

    @Benchmark
    public FloatMatrix gemmForwardBackward() {
        ce.roofline(w, h, y, CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh));
        return dw;
    }

    @Benchmark
    public double naiveForwardBackward() {
        if (naive == null) {
            throw new IllegalStateException("naive baseline skipped: N x K logits do not fit (K <= 10^5 only)");
        }
        return naive.forwardBackward(30, w, h, y, dw, dh);
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }
}
