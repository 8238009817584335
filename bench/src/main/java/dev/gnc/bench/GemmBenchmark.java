package dev.gnc.bench;

import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.GemmSelfCheck;
import dev.gnc.gemm.GemmShape;
import dev.gnc.gemm.ParallelGemm;
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
 * OpenBLAS versus the Vector API GEMM on the blocks the fused cross-entropy multiplies, for a
 * block of {@code nb} features against a tile of {@code kb} classes in dimension {@code d}:
 * <ul>
 *   <li>{@code A_BT}: logits, (nb x d) times (kb x d)^T;</li>
 *   <li>{@code AT_B}: classifier gradient, (nb x kb)^T times (nb x d);</li>
 *   <li>{@code A_B}: feature gradient, (nb x kb) times (kb x d).</li>
 * </ul>
 * Each is {@code 2 nb kb d} flops; {@code bench/scripts/jmh_table.py} turns the times into
 * GFLOP/s. Every trial first checks the product (Freivalds), so a broken kernel cannot post a
 * fast number.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class GemmBenchmark {
    @Param({"openblas", "vector"})
    public String backend;

    @Param({"A_BT", "AT_B", "A_B"})
    public GemmShape shape;

    @Param({"16", "64", "256", "512"})
    public int d;

    @Param({"256", "1024"})
    public int nb;

    @Param({"1024", "4096"})
    public int kb;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private WorkPool pool;
    private Gemm gemm;
    private FloatMatrix a;
    private FloatMatrix b;
    private FloatMatrix c;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        pool = WorkPool.create(threads);
        Gemm single = Backend.select(backend, OpenBlasLoader.fromEnvironment()::load).gemm();
        gemm = new ParallelGemm(single, pool);
        SplittableRandom random = new SplittableRandom(1);
        switch (shape) {
            case A_BT -> {
                a = random(nb, d, random);
                b = random(kb, d, random);
                c = FloatMatrix.allocate(arena, nb, kb);
            }
            case AT_B -> {
                a = random(nb, kb, random);
                b = random(nb, d, random);
                c = FloatMatrix.allocate(arena, kb, d);
            }
            case A_B -> {
                a = random(nb, kb, random);
                b = random(kb, d, random);
                c = FloatMatrix.allocate(arena, nb, d);
            }
        }
        int m = (int) c.rows(), n = c.cols(), k = shape == GemmShape.A_B ? kb : shape == GemmShape.AT_B ? nb : d;
        GemmSelfCheck.Result check = GemmSelfCheck.check(gemm, shape, m, n, k, 2);
        if (!check.passed()) {
            throw new IllegalStateException(backend + " fails its self-check: " + check);
        }
    }

    private FloatMatrix random(int rows, int cols, SplittableRandom random) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                m.set(i, j, (float) random.nextDouble(-1, 1));
            }
        }
        return m;
    }

    @Benchmark
    public FloatMatrix multiply() {
        gemm.multiply(shape, 1f, a, b, 0f, c);
        return c;
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }
}
