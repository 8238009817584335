package dev.gnc.bench;

import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.ProductScan;
import java.lang.foreign.Arena;
import java.util.Arrays;
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
 * The Gram pass of the one-vs-rest distances: {@code rows} rows of a unit code W (K x d) against
 * all K rows, as {@link dev.gnc.metrics.OneVsRestDistance} runs it, one block of 256 rows per
 * task. {@code scan} is the fused selection (GEMM tiles plus the sweep that keeps each row's
 * largest inner product, the nearest-neighbour search); {@code gemm} multiplies the same tiles
 * and reads nothing back, the roofline. Each is {@code 2 rows K d} flops; K^2 / rows of them make
 * one pass over the whole Gram matrix.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "--sun-misc-unsafe-memory-access=allow"})
public class ProductScanBenchmark {
    private static final int BLOCK = 256;
    private static final int TILE = 512;

    @Param({"openblas"})
    public String backend;

    @Param({"200000", "1000000"})
    public int classes;

    @Param({"24", "64"})
    public int d;

    @Param({"1024"})
    public int rows;

    @Param({"1", "2"})
    public int threads;

    private Arena arena;
    private WorkPool pool;
    private Gemm gemm;
    private FloatMatrix w;
    private float[] best;

    @Setup
    public void setup() {
        arena = Arena.ofShared();
        pool = WorkPool.create(threads);
        gemm = Backend.select(backend, OpenBlasLoader.fromEnvironment()::load).gemm();
        w = RandomMatrices.unitRows(arena, classes, d, 1, pool);
        best = new float[rows];
    }

    @Benchmark
    public float[] scan() {
        Arrays.fill(best, Float.NEGATIVE_INFINITY);
        ProductScan scan = new ProductScan(gemm, BLOCK, TILE);
        pool.run(rows / BLOCK, task -> {
            int r0 = task * BLOCK;
            try (Arena tile = Arena.ofConfined()) {
                scan.scan(w.rows(r0, r0 + BLOCK), w, new ProductScan.Visitor() {
                    @Override
                    public float threshold(int r) {
                        return best[r0 + r];
                    }

                    @Override
                    public void accept(int r, long j, float value) {
                        best[r0 + r] = value;
                    }

                    @Override
                    public long skipped(int r) {
                        return r0 + r;
                    }
                }, tile);
            }
        });
        return best;
    }

    @Benchmark
    public float gemm() {
        float[] corner = new float[rows / BLOCK];
        pool.run(rows / BLOCK, task -> {
            int r0 = task * BLOCK;
            try (Arena scratch = Arena.ofConfined()) {
                FloatMatrix tile = FloatMatrix.allocate(scratch, BLOCK, TILE);
                FloatMatrix block = w.rows(r0, r0 + BLOCK);
                for (long j0 = 0; j0 < classes; j0 += TILE) {
                    int cols = (int) Math.min(TILE, classes - j0);
                    gemm.abt(1f, block, w.rows(j0, j0 + cols), 0f, tile.block(0, 0, BLOCK, cols));
                }
                corner[task] = tile.get(0, 0);
            }
        });
        return corner[0];
    }

    @TearDown
    public void tearDown() {
        pool.close();
        arena.close();
    }
}
