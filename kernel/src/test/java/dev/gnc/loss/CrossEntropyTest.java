package dev.gnc.loss;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fused cross-entropy against the float64 {@link ReferenceCrossEntropy}, option by option. */
class CrossEntropyTest {
    private static WorkPool pool;
    private static Gemm openblas;
    private static Gemm vector;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(3);
        openblas = Backend.select("openblas", OpenBlasLoader.fromEnvironment()::load).gemm();
        vector = Backend.select("vector", () -> {
            throw new AssertionError();
        }).gemm();
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    /** One randomized problem: shapes, options, and its reference answer. */
    record Case(String name, int k, int n, int d, double tau, boolean bias, Reduction reduction, double eps,
            double zeta, boolean weights, boolean ignore, boolean upstream, int tileRows, int tileClasses,
            long seed) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("plain", 37, 19, 5, 1, false, Reduction.MEAN, 0, 0, false, false, false, 8, 16, 1),
                new Case("K=1", 1, 7, 3, 30, false, Reduction.MEAN, 0, 0, false, false, false, 4, 4, 2),
                new Case("d=1", 40, 9, 1, 30, true, Reduction.SUM, 0, 0, false, false, false, 4, 16, 3),
                new Case("N=1", 50, 1, 7, 100, false, Reduction.MEAN, 0, 0, false, false, false, 4, 17, 4),
                new Case("tau=1000", 33, 12, 4, 1000, false, Reduction.MEAN, 0, 0, false, false, false, 5, 8, 5),
                new Case("bias", 70, 20, 6, 30, true, Reduction.MEAN, 0, 0, false, false, false, 7, 32, 6),
                new Case("ignore", 45, 25, 8, 30, false, Reduction.MEAN, 0, 0, false, true, false, 6, 16, 7),
                new Case("smoothing", 61, 18, 9, 30, true, Reduction.MEAN, 0.1, 0, false, false, false, 5, 16, 8),
                new Case("z-loss", 33, 14, 5, 30, false, Reduction.SUM, 0, 1e-3, false, false, false, 4, 13, 9),
                new Case("weights", 29, 30, 6, 30, false, Reduction.MEAN, 0, 0, true, true, false, 8, 9, 10),
                new Case("everything", 103, 41, 17, 30, true, Reduction.MEAN, 0.2, 1e-3, true, true, false, 16,
                        40, 11),
                new Case("none+upstream", 57, 23, 11, 30, true, Reduction.NONE, 0.05, 1e-4, true, true, true, 7,
                        20, 12),
                new Case("one tile", 300, 33, 16, 10, false, Reduction.MEAN, 0, 0, false, false, false, 128, 1024,
                        13),
                new Case("wide", 1100, 70, 64, 30, true, Reduction.SUM, 0.1, 0, false, true, false, 32, 128, 14))
                .flatMap(c -> Stream.of(Arguments.of(c, "openblas"), Arguments.of(c, "vector")));
    }

    private static float[] unitRows(SplittableRandom random, int rows, int d) {
        float[] a = new float[rows * d];
        for (int r = 0; r < rows; r++) {
            double norm = 0;
            for (int p = 0; p < d; p++) {
                double v = random.nextGaussian();
                a[r * d + p] = (float) v;
                norm += v * v;
            }
            for (int p = 0; p < d; p++) {
                a[r * d + p] /= (float) Math.sqrt(norm);
            }
        }
        return a;
    }

    private static float[] uniform(SplittableRandom random, int count, double lo, double hi) {
        float[] a = new float[count];
        for (int i = 0; i < count; i++) {
            a[i] = (float) random.nextDouble(lo, hi);
        }
        return a;
    }

    private static void assertClose(double expected, double actual, double rel, double abs, String what) {
        assertTrue(Math.abs(expected - actual) <= abs + rel * Math.abs(expected),
                what + ": expected " + expected + " got " + actual);
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("cases")
    void matchesTheFloat64Reference(Case c, String backend) {
        SplittableRandom random = new SplittableRandom(c.seed());
        float[] w = unitRows(random, c.k(), c.d());
        float[] h = unitRows(random, c.n(), c.d());
        int[] y = new int[c.n()];
        for (int i = 0; i < c.n(); i++) {
            y[i] = i == 0 ? 0 : i == 1 ? c.k() - 1 : random.nextInt(c.k()); // first and last class
            if (c.ignore() && i % 4 == 3) {
                y[i] = -100;
            }
        }
        float[] b = c.bias() ? uniform(random, c.k(), -2, 2) : null;
        float[] cw = c.weights() ? uniform(random, c.k(), 0.2, 3) : null;
        double[] up = null;
        if (c.upstream()) {
            up = new double[c.n()];
            for (int i = 0; i < c.n(); i++) {
                up[i] = (float) random.nextDouble(-1, 2);
            }
        }
        ReferenceCrossEntropy.Result ref = ReferenceCrossEntropy.compute(w, h, y, c.k(), c.d(), c.tau(), b,
                c.reduction().name().toLowerCase(), -100, c.eps(), c.zeta(), cw, up);

        try (Arena arena = Arena.ofShared()) {
            FloatMatrix fw = FloatMatrix.of(arena, c.k(), c.d(), w);
            FloatMatrix fh = FloatMatrix.of(arena, c.n(), c.d(), h);
            FloatMatrix fb = b == null ? null : FloatMatrix.of(arena, c.k(), 1, b);
            FloatMatrix dw = FloatMatrix.allocate(arena, c.k(), c.d());
            FloatMatrix dh = FloatMatrix.allocate(arena, c.n(), c.d());
            FloatMatrix db = FloatMatrix.allocate(arena, c.k(), 1);
            FloatMatrix lse = FloatMatrix.allocate(arena, c.n(), 1);
            FloatMatrix perSample = FloatMatrix.allocate(arena, c.n(), 1);
            dw.fill(Float.NaN); // overwrite mode must not read the buffers
            dh.fill(Float.NaN);
            db.fill(Float.NaN);
            CrossEntropyOutputs out = CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh)
                    .lse(lse).perSampleLoss(perSample);
            if (fb != null) {
                out.biasGradient(db);
            }
            if (up != null) {
                float[] upf = new float[c.n()];
                for (int i = 0; i < c.n(); i++) {
                    upf[i] = (float) up[i];
                }
                out.upstream(FloatMatrix.of(arena, c.n(), 1, upf));
            }
            CrossEntropy.Builder builder = CrossEntropy.builder(c.tau()).reduction(c.reduction())
                    .labelSmoothing(c.eps()).zLoss(c.zeta()).topK(3).pool(pool)
                    .gemm(backend.equals("openblas") ? openblas : vector).tile(c.tileRows(), c.tileClasses());
            if (cw != null) {
                builder.classWeights(FloatMatrix.of(arena, c.k(), 1, cw));
            }
            CrossEntropyResult result = builder.build().forwardBackward(fw, fb, fh, Labels.of(arena, y), out);

            // logits carry float32 rounding of tau * <h, w>: absolute error ~ tau * 1e-6
            double zErr = 4e-6 * Math.max(1, c.tau());
            double refSum = 0;
            for (double v : ref.perSample()) {
                refSum += v;
            }
            double expectedLoss = c.reduction() == Reduction.NONE ? refSum : ref.loss();
            assertClose(expectedLoss, result.loss(), 1e-5, zErr, "loss");
            assertEquals(ref.weightSum(), result.weightSum(), 1e-3, "weight sum");
            for (int i = 0; i < c.n(); i++) {
                assertClose(ref.lse()[i], lse.get(i, 0), 1e-6, zErr, "lse[" + i + "]");
                assertClose(ref.perSample()[i], perSample.get(i, 0), 1e-5, zErr, "loss[" + i + "]");
            }
            long top1 = 0, top3 = 0;
            for (int i = 0; i < c.n(); i++) {
                if (y[i] != -100) {
                    top1 += ref.rank()[i] < 1 ? 1 : 0;
                    top3 += ref.rank()[i] < 3 ? 1 : 0;
                }
            }
            assertEquals(top1, result.top1(), "top-1 hits");
            assertEquals(top3, result.topK(), "top-3 hits");

            // gradients: relative to the largest entry, as float32 GEMMs sum N or K terms
            assertGradient(ref.dW(), dw.toArray(), zErr, "dW");
            assertGradient(ref.dH(), dh.toArray(), zErr, "dH");
            if (fb != null) {
                assertGradient(ref.db(), db.toArray(), zErr, "db");
            }
        }
    }

    private static void assertGradient(double[] expected, float[] actual, double zErr, String what) {
        double scale = 0;
        for (double v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertClose(expected[i], actual[i], 0, 1e-4 * scale + zErr * scale + 1e-7,
                    what + "[" + i + "] (scale " + scale + ")");
        }
    }

    @Test
    void twoRunsAreBitwiseEqualAndThreadCountsAgree() {
        SplittableRandom random = new SplittableRandom(99);
        int k = 3000, n = 90, d = 24;
        float[] w = unitRows(random, k, d), h = unitRows(random, n, d);
        int[] y = random.ints(n, 0, k).toArray();
        float[][] first = null;
        for (int threads = 1; threads <= 4; threads++) {
            try (WorkPool p = WorkPool.create(threads); Arena arena = Arena.ofShared()) {
                float[][] runs = new float[2][];
                float[][] grads = new float[2][];
                for (int run = 0; run < 2; run++) {
                    FloatMatrix dw = FloatMatrix.allocate(arena, k, d), dh = FloatMatrix.allocate(arena, n, d);
                    CrossEntropyResult r = CrossEntropy.builder(30).pool(p).tile(32, 256).build().forwardBackward(
                            FloatMatrix.of(arena, k, d, w), null, FloatMatrix.of(arena, n, d, h), Labels.of(arena, y),
                            CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh));
                    runs[run] = new float[] {(float) r.loss()};
                    grads[run] = concat(dw.toArray(), dh.toArray());
                }
                assertArrayEquals(runs[0], runs[1], threads + " threads: loss");
                assertArrayEquals(grads[0], grads[1], threads + " threads: gradients");
                if (first == null) {
                    first = new float[][] {runs[0], grads[0]};
                } else {
                    assertEquals(first[0][0], runs[0][0], 1e-5 * Math.abs(first[0][0]));
                    for (int i = 0; i < grads[0].length; i++) {
                        assertEquals(first[1][i], grads[0][i], 1e-6, "element " + i + " on " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void confinedInputsAreRejectedBeforeAnyWorkOnAPoolOfSeveralThreads() {
        try (Arena confined = Arena.ofConfined()) {
            FloatMatrix w = FloatMatrix.allocate(confined, 4, 2), h = FloatMatrix.allocate(confined, 3, 2);
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> CrossEntropy.builder(1).pool(pool).build()
                            .forward(w, h, Labels.allocate(confined, 3)));
            assertTrue(e.getMessage().startsWith("classifier W lives in a confined arena"), e.getMessage());
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
