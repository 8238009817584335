package dev.gnc.gemm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.Simd;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link VectorGemm} against the float64 {@link ReferenceGemm} on random entries in [-1, 1]:
 * odd sizes around the vector width and the register tile, block edges, strided views, alpha and
 * beta, and concurrent calls. Run with {@code -Dgnc.vector.bits=128} as well (a second surefire
 * execution does) so the edge masks are exercised at another width.
 */
class VectorGemmTest {
    private static final int[] SIZES = {1, 2, 7, 15, 16, 17, 31, 33, 100, 257};
    /** Written around every strided view; must survive each product untouched. */
    private static final float GUARD = 12345f;

    private final Gemm gemm = new VectorGemm();

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void oddSizesMatchReference(GemmShape shape) {
        Random random = new Random(shape.ordinal());
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : SIZES) {
                    check(shape, m, n, k, 1f, 0f, false, random);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void alphaBetaAndStridedViews(GemmShape shape) {
        Random random = new Random(10 + shape.ordinal());
        float[][] alphaBeta = {{1, 1}, {-0.5f, 1}, {2, 0.5f}, {0.75f, -1}, {-1, 0}};
        int[] sizes = {1, 7, 17, 33, 100};
        for (float[] ab : alphaBeta) {
            for (int m : sizes) {
                for (int n : sizes) {
                    for (int k : sizes) {
                        check(shape, m, n, k, ab[0], ab[1], true, random);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void crossesEveryCacheBlock(GemmShape shape) {
        Random random = new Random(20 + shape.ordinal());
        check(shape, VectorGemm.MC + 9, VectorGemm.NC + 5, VectorGemm.KC + 3, 0.5f, -0.75f, true, random);
        check(shape, VectorGemm.MC + 9, VectorGemm.NC + 5, 2 * VectorGemm.KC, 1f, 0f, false, random);
    }

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void betaZeroIgnoresNaNInC(GemmShape shape) {
        Random random = new Random(30 + shape.ordinal());
        int[][] sizes = {{17, 33, 7}, {VectorGemm.MR + 3, VectorGemm.NR + 3, VectorGemm.KC + 5}}; // one, two KC blocks
        for (int[] size : sizes) {
            int m = size[0], n = size[1], k = size[2];
            try (Arena arena = Arena.ofConfined()) {
                FloatMatrix a = random(arena, rowsOfA(shape, m, k), colsOfA(shape, m, k), random);
                FloatMatrix b = random(arena, rowsOfB(shape, n, k), colsOfB(shape, n, k), random);
                FloatMatrix c = FloatMatrix.allocate(arena, m, n);
                c.fill(Float.NaN);
                gemm.multiply(shape, 1f, a, b, 0f, c);
                double[] expected = ReferenceGemm.multiply(shape, m, n, k, 1, a.toArray(), b.toArray(), 0,
                        c.toArray());
                assertClose(expected, c.toArray(), ReferenceGemm.tolerance(k), shape + " beta = 0 over NaN, m = " + m
                        + ", n = " + n + ", k = " + k);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void emptySumScalesC(GemmShape shape) {
        try (Arena arena = Arena.ofConfined()) {
            Random random = new Random(40 + shape.ordinal());
            int m = 9, n = 35;
            FloatMatrix a = FloatMatrix.allocate(arena, rowsOfA(shape, m, 0), colsOfA(shape, m, 0));
            FloatMatrix b = FloatMatrix.allocate(arena, rowsOfB(shape, n, 0), colsOfB(shape, n, 0));
            FloatMatrix c = random(arena, m, n, random);
            float[] before = c.toArray();
            gemm.multiply(shape, 1f, a, b, -0.5f, c);
            float[] after = c.toArray();
            for (int i = 0; i < before.length; i++) {
                assertEquals(-0.5f * before[i], after[i], "k = 0 must give C = beta C");
            }
            c.fill(Float.NaN);
            gemm.multiply(shape, 1f, a, b, 0f, c);
            assertArrayEquals(new float[m * n], c.toArray(), "k = 0, beta = 0 must give zeros");
        }
    }

    @ParameterizedTest
    @EnumSource(GemmShape.class)
    void alphaZeroDoesNotReadAOrB(GemmShape shape) {
        try (Arena arena = Arena.ofConfined()) {
            Random random = new Random(50 + shape.ordinal());
            int m = 5, n = 19, k = 3;
            FloatMatrix a = FloatMatrix.allocate(arena, rowsOfA(shape, m, k), colsOfA(shape, m, k));
            FloatMatrix b = FloatMatrix.allocate(arena, rowsOfB(shape, n, k), colsOfB(shape, n, k));
            a.fill(Float.NaN);
            b.fill(Float.POSITIVE_INFINITY);
            FloatMatrix c = random(arena, m, n, random);
            float[] before = c.toArray();
            gemm.multiply(shape, 0f, a, b, 2f, c);
            float[] after = c.toArray();
            for (int i = 0; i < before.length; i++) {
                assertEquals(2f * before[i], after[i], "alpha = 0 must give C = beta C");
            }
        }
    }

    @Test
    void concurrentCallsMatchSequentialOnes() throws Exception {
        record Case(GemmShape shape, int m, int n, int k) {
        }
        List<Case> cases = new ArrayList<>();
        for (GemmShape shape : GemmShape.values()) {
            cases.add(new Case(shape, 67, 300, 64));
            cases.add(new Case(shape, 33, 129, VectorGemm.KC + 17));
        }
        try (Arena arena = Arena.ofShared()) {
            Random random = new Random(60);
            List<FloatMatrix[]> operands = new ArrayList<>();
            List<float[]> sequential = new ArrayList<>();
            for (Case cs : cases) {
                FloatMatrix a = random(arena, rowsOfA(cs.shape, cs.m, cs.k), colsOfA(cs.shape, cs.m, cs.k), random);
                FloatMatrix b = random(arena, rowsOfB(cs.shape, cs.n, cs.k), colsOfB(cs.shape, cs.n, cs.k), random);
                FloatMatrix c = FloatMatrix.allocate(arena, cs.m, cs.n);
                gemm.multiply(cs.shape, 1f, a, b, 0f, c);
                operands.add(new FloatMatrix[] {a, b});
                sequential.add(c.toArray());
            }
            int threads = 4;
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService executor = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t;
                    futures.add(executor.submit(() -> {
                        start.await();
                        for (int round = 0; round < 20; round++) {
                            int i = (offset + round) % cases.size();
                            Case cs = cases.get(i);
                            FloatMatrix c = FloatMatrix.allocate(arena, cs.m, cs.n);
                            gemm.multiply(cs.shape, 1f, operands.get(i)[0], operands.get(i)[1], 0f, c);
                            assertArrayEquals(sequential.get(i), c.toArray(), cs + " differs when run concurrently");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                executor.shutdownNow();
            }
        }
    }

    @Test
    void speciesHonoursForcedWidth() {
        String bits = System.getProperty(Simd.BITS_PROPERTY);
        int expected = bits == null ? FloatVector.SPECIES_PREFERRED.vectorBitSize() : Integer.parseInt(bits);
        assertEquals(expected, VectorGemm.SPECIES.vectorBitSize());
    }

    @Test
    void nameIsVector() {
        assertEquals("vector", gemm.name());
    }

    /**
     * One product against the reference. With {@code strided}, A, B and C are interior blocks of
     * larger matrices (ld > cols), and the elements around C must keep their guard value.
     */
    private void check(GemmShape shape, int m, int n, int k, float alpha, float beta, boolean strided,
            Random random) {
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = view(arena, rowsOfA(shape, m, k), colsOfA(shape, m, k), strided, random);
            FloatMatrix b = view(arena, rowsOfB(shape, n, k), colsOfB(shape, n, k), strided, random);
            FloatMatrix cFull = FloatMatrix.allocate(arena, m + (strided ? 2 : 0), n + (strided ? 5 : 0));
            cFull.fill(GUARD);
            FloatMatrix c = strided ? cFull.block(1, 3, m, n) : cFull;
            fillRandom(c, random);
            float[] cBefore = c.toArray();
            double[] expected = ReferenceGemm.multiply(shape, m, n, k, alpha, a.toArray(), b.toArray(), beta, cBefore);
            gemm.multiply(shape, alpha, a, b, beta, c);
            double tolerance = ReferenceGemm.tolerance(k) * (Math.abs(alpha) + Math.abs(beta));
            assertClose(expected, c.toArray(), tolerance, shape + " m = " + m + ", n = " + n + ", k = " + k
                    + ", alpha = " + alpha + ", beta = " + beta + (strided ? ", strided" : ""));
            if (strided) {
                float[] full = cFull.toArray();
                for (int i = 0; i < cFull.rows(); i++) {
                    for (int j = 0; j < cFull.cols(); j++) {
                        boolean inside = i >= 1 && i < 1 + m && j >= 3 && j < 3 + n;
                        if (!inside && full[i * cFull.cols() + j] != GUARD) {
                            fail(shape + " m = " + m + ", n = " + n + ", k = " + k + " wrote outside C at (" + i
                                    + ", " + j + ") of the enclosing matrix");
                        }
                    }
                }
            }
        }
    }

    private static void assertClose(double[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            double error = Math.abs(expected[i] - actual[i]);
            if (!(error <= tolerance)) {
                fail(what + ": element " + i + " is " + actual[i] + ", expected " + expected[i] + " within "
                        + tolerance);
            }
        }
        assertTrue(expected.length > 0);
    }

    /** A random rows x cols matrix, as an interior block of a larger one when {@code strided}. */
    private static FloatMatrix view(Arena arena, int rows, int cols, boolean strided, Random random) {
        if (!strided) {
            return random(arena, rows, cols, random);
        }
        FloatMatrix full = FloatMatrix.allocate(arena, rows + 3, cols + 4);
        full.fill(Float.NaN); // a kernel reading outside the view poisons its result
        FloatMatrix block = full.block(2, 1, rows, cols);
        fillRandom(block, random);
        return block;
    }

    private static FloatMatrix random(Arena arena, int rows, int cols, Random random) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        fillRandom(m, random);
        return m;
    }

    private static void fillRandom(FloatMatrix m, Random random) {
        for (int i = 0; i < m.rows(); i++) {
            for (int j = 0; j < m.cols(); j++) {
                m.set(i, j, 2 * random.nextFloat() - 1);
            }
        }
    }

    private static int rowsOfA(GemmShape shape, int m, int k) {
        return shape == GemmShape.AT_B ? k : m;
    }

    private static int colsOfA(GemmShape shape, int m, int k) {
        return shape == GemmShape.AT_B ? m : k;
    }

    private static int rowsOfB(GemmShape shape, int n, int k) {
        return shape == GemmShape.A_BT ? n : k;
    }

    private static int colsOfB(GemmShape shape, int n, int k) {
        return shape == GemmShape.A_BT ? k : n;
    }
}
