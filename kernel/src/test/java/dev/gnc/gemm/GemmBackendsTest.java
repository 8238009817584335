package dev.gnc.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The {@link Gemm} contract, checked on every backend against the float64 {@link ReferenceGemm}. */
class GemmBackendsTest {
    private static final int[] SIZES = {1, 2, 7, 16, 17, 33, 100};

    static Stream<Gemm> backends() {
        return Stream.of(Backend.select("openblas", OpenBlasLoader.fromEnvironment()::load).gemm(),
                Backend.select("vector", () -> {
                    throw new AssertionError();
                }).gemm());
    }

    static Stream<Arguments> backendsAndShapes() {
        return backends().flatMap(g -> Stream.of(GemmShape.values()).map(s -> Arguments.of(g, s)));
    }

    private static float[] random(SplittableRandom random, int count) {
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = (float) random.nextDouble(-1, 1);
        }
        return values;
    }

    private static int aRows(GemmShape shape, int m, int k) {
        return shape == GemmShape.AT_B ? k : m;
    }

    private static int bRows(GemmShape shape, int n, int k) {
        return shape == GemmShape.A_BT ? n : k;
    }

    /** Runs one product on copies placed inside larger matrices, so leading dimensions exceed widths when padded. */
    private static float[] run(Gemm gemm, GemmShape shape, int m, int n, int k, float alpha, float[] a, float[] b,
            float beta, float[] c, int pad) {
        try (Arena arena = Arena.ofShared()) {
            int ar = aRows(shape, m, k), ac = shape == GemmShape.AT_B ? m : k;
            int br = bRows(shape, n, k), bc = shape == GemmShape.A_BT ? k : n;
            FloatMatrix fa = place(arena, FloatMatrix.of(arena, ar, ac, a), pad);
            FloatMatrix fb = place(arena, FloatMatrix.of(arena, br, bc, b), pad);
            FloatMatrix fc = place(arena, FloatMatrix.of(arena, m, n, c), pad);
            gemm.multiply(shape, alpha, fa, fb, beta, fc);
            return fc.toArray();
        }
    }

    private static FloatMatrix place(Arena arena, FloatMatrix source, int pad) {
        if (pad == 0) {
            return source;
        }
        FloatMatrix big = FloatMatrix.allocate(arena, source.rows() + 2L * pad, source.cols() + 2 * pad);
        big.fill(Float.NaN); // anything read outside the view poisons the result
        FloatMatrix view = big.block(pad, pad, source.rows(), source.cols());
        view.copyFrom(source);
        return view;
    }

    private static void assertClose(double[] expected, float[] actual, int k, String what) {
        double tolerance = ReferenceGemm.tolerance(k);
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(1, Math.abs(expected[i]));
            assertTrue(Math.abs(expected[i] - actual[i]) <= tolerance * scale,
                    what + ": element " + i + " expected " + expected[i] + " got " + actual[i]);
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void matchesTheFloat64ReferenceOnOddShapes(Gemm gemm, GemmShape shape) {
        SplittableRandom random = new SplittableRandom(42);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    float[] a = random(random, m * k), b = random(random, n * k), c = random(random, m * n);
                    double[] expected = ReferenceGemm.multiply(shape, m, n, k, 0.75, a, b, -0.5, c);
                    float[] actual = run(gemm, shape, m, n, k, 0.75f, a, b, -0.5f, c, (m + n + k) % 2);
                    assertClose(expected, actual, k, gemm.name() + " " + shape + " " + m + "x" + n + "x" + k);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void betaZeroOverwritesNaNAndLargeBlocksStayAccurate(Gemm gemm, GemmShape shape) {
        SplittableRandom random = new SplittableRandom(7);
        int m = 129, n = 301, k = 257;
        float[] a = random(random, m * k), b = random(random, n * k), c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        double[] expected = ReferenceGemm.multiply(shape, m, n, k, 1, a, b, 0, c);
        assertClose(expected, run(gemm, shape, m, n, k, 1f, a, b, 0f, c, 3), k, gemm.name() + " " + shape);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void anEmptySumScalesC(Gemm gemm) {
        float[] c = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {2, 4, 6, 8, 10, 12},
                run(gemm, GemmShape.A_BT, 2, 3, 0, 1f, new float[0], new float[0], 2f, c, 0));
        assertArrayEquals(new float[6], run(gemm, GemmShape.A_B, 2, 3, 0, 1f, new float[0], new float[0], 0f, c, 0));
    }

    @ParameterizedTest
    @MethodSource("backends")
    void shapeMismatchNamesEveryShape(Gemm gemm) {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = FloatMatrix.allocate(arena, 4, 3);
            FloatMatrix b = FloatMatrix.allocate(arena, 5, 2);
            FloatMatrix c = FloatMatrix.allocate(arena, 4, 5);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> gemm.abt(1f, a, b, 0f, c));
            assertTrue(e.getMessage().contains("A is 4 x 3, B is 5 x 2, C is 4 x 5"), e.getMessage());
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void concurrentCallsGiveTheSequentialResult(Gemm gemm, GemmShape shape) throws Exception {
        int m = 96, n = 250, k = 64, calls = 8;
        SplittableRandom random = new SplittableRandom(3);
        List<float[]> as = new ArrayList<>(), bs = new ArrayList<>(), expected = new ArrayList<>();
        for (int t = 0; t < calls; t++) {
            as.add(random(random, m * k));
            bs.add(random(random, n * k));
            expected.add(run(gemm, shape, m, n, k, 1f, as.get(t), bs.get(t), 0f, new float[m * n], 0));
        }
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                List<Future<float[]>> futures = new ArrayList<>();
                for (int t = 0; t < calls; t++) {
                    int call = t;
                    futures.add(executor.submit((Callable<float[]>) () -> run(gemm, shape, m, n, k, 1f, as.get(call),
                            bs.get(call), 0f, new float[m * n], 0)));
                }
                for (int t = 0; t < calls; t++) {
                    assertArrayEquals(expected.get(t), futures.get(t).get(), "call " + t + " round " + round);
                }
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void parallelGemmMatchesTheReferenceForEveryThreadCount(Gemm gemm, GemmShape shape) {
        parallelMatchesReference(gemm, shape, 70, 1100, 33); // split by columns
        parallelMatchesReference(gemm, shape, 1000, 40, 21); // split by rows
    }

    private static void parallelMatchesReference(Gemm gemm, GemmShape shape, int m, int n, int k) {
        SplittableRandom random = new SplittableRandom(11);
        float[] a = random(random, m * k), b = random(random, n * k), c = random(random, m * n);
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkPool pool = WorkPool.create(threads)) {
                float[] parallel = run(new ParallelGemm(gemm, pool), shape, m, n, k, 1.5f, a, b, 0.5f, c, 1);
                assertClose(ReferenceGemm.multiply(shape, m, n, k, 1.5, a, b, 0.5, c), parallel, k,
                        gemm.name() + " " + shape + " " + m + "x" + n + "x" + k + " on " + threads + " threads");
                float[] again = run(new ParallelGemm(gemm, pool), shape, m, n, k, 1.5f, a, b, 0.5f, c, 0);
                assertArrayEquals(parallel, again, "repeat on " + threads + " threads");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("backendsAndShapes")
    void selfCheckPassesOnAHealthyBackend(Gemm gemm, GemmShape shape) {
        GemmSelfCheck.Result result = GemmSelfCheck.check(gemm, shape, 37, 53, 19, 1);
        assertTrue(result.passed(), result.toString());
        try (WorkPool pool = WorkPool.create(2)) {
            GemmSelfCheck.Result parallel = GemmSelfCheck.check(new ParallelGemm(gemm, pool), shape, 300, 70, 19, 1);
            assertTrue(parallel.passed(), parallel.toString());
        }
    }

    @ParameterizedTest
    @MethodSource("backends")
    void parallelGemmRejectsConfinedMemoryWithAClearMessage(Gemm gemm) {
        try (Arena arena = Arena.ofConfined(); WorkPool pool = WorkPool.create(2)) {
            FloatMatrix a = FloatMatrix.allocate(arena, 300, 8);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ParallelGemm(gemm, pool).abt(1f, a, a, 0f, FloatMatrix.allocate(arena, 300, 300)));
            assertTrue(e.getMessage().startsWith("A lives in a confined arena"), e.getMessage());
        }
    }
}
