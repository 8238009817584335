package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Certified one-vs-rest distances against closed forms (DESIGN.md) and a brute-force float64 QP.
 * Tolerances: 1e-6 against closed forms (the rows are rounded to float32, which moves rho by
 * ~1e-7), 1e-9 against the brute force on the same float32 rows, and a certificate gap below 1e-9.
 */
class OneVsRestDistanceTest {
    private static WorkPool pool;

    @BeforeAll
    static void start() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /** With {@code candidates} nearest classes kept too, so every later candidate comes from a certificate scan. */
    private static OneVsRestResult distances(double[][] rows, int candidates) {
        return distances(rows, candidates, candidates);
    }

    private static OneVsRestResult distances(double[][] rows, int candidates, int nearby) {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = KnownCodes.toMatrix(arena, rows);
            return OneVsRestDistance.builder(pool).candidates(candidates).nearby(nearby).blockClasses(5)
                    .tolerance(1e-12).build().compute(w);
        }
    }

    private static void assertAll(OneVsRestResult result, double expected, double tolerance, String what) {
        for (int k = 0; k < result.classes(); k++) {
            assertEquals(expected, result.rho()[k], tolerance, what + ": class " + k);
        }
        assertTrue(result.certificateGap() < 1e-9, what + ": gap " + result.certificateGap());
    }

    /** The rows as the library sees them: rounded to float32. */
    private static double[][] float32(double[][] rows) {
        double[][] out = new double[rows.length][rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < rows[i].length; c++) {
                out[i][c] = (float) rows[i][c];
            }
        }
        return out;
    }

    @Test
    void simplexIsKOverKMinusOne() {
        for (int k : new int[] {2, 3, 5, 9, 17}) {
            for (int m : new int[] {1, 64}) {
                assertAll(distances(KnownCodes.simplex(k), m), k / (k - 1.0), 1e-6, "simplex K=" + k + " m=" + m);
            }
        }
    }

    @Test
    void regularPolygonIsOneMinusCosOfTheAngle() {
        for (int k : new int[] {3, 5, 7, 12, 100}) {
            OneVsRestResult r = distances(KnownCodes.polygon(k), 64);
            assertAll(r, 1 - Math.cos(2 * Math.PI / k), 1e-6, "polygon K=" + k);
            assertEquals(Math.cos(2 * Math.PI / k), r.maxCosine(), 1e-6);
        }
    }

    @Test
    void crossPolytopeIsOneWithItsTiesCertified() {
        assertAll(distances(KnownCodes.crossPolytope(1), 64), 2, 1e-6, "d=1");
        for (int d : new int[] {2, 3, 8, 17}) {
            for (int m : new int[] {1, 2, 64}) {
                assertAll(distances(KnownCodes.crossPolytope(d), m), 1, 1e-6, "cross-polytope d=" + d + " m=" + m);
            }
        }
    }

    /** 56 neighbours tied at cosine 1/2 per class; from 3 candidates only the certificate rounds find rho. */
    @Test
    void e8RootsAreOneHalfFromFewCandidates() {
        double[][] e8 = KnownCodes.e8Roots();
        assertEquals(240, e8.length);
        OneVsRestResult few = distances(e8, 3);
        assertAll(few, 0.5, 1e-6, "E8 m=3");
        assertTrue(few.rounds() > 1, "rounds " + few.rounds());
        assertEquals(0.5, few.maxCosine(), 1e-7);
        OneVsRestResult nearby = distances(e8, 3, 64);
        assertAll(nearby, 0.5, 1e-6, "E8 m=3 nearby=64");
        assertEquals(1, nearby.rounds(), "the nearby classes hold the support: one scan certifies");
    }

    /** Random codes against the brute force, with codes where rho exceeds the 1 - max cos bound. */
    @Test
    void randomCodesMatchBruteForce() {
        int aboveBound = 0;
        long seed = 1;
        for (int d : new int[] {1, 2, 3, 4}) {
            for (int k : new int[] {2, 3, 5, 8, 10}) {
                for (int[] m : new int[][] {{1, 1}, {2, 2}, {1, 64}, {64, 64}}) {
                    double[][] rows = float32(KnownCodes.random(k, d, seed++));
                    OneVsRestResult r = distances(rows, m[0], m[1]);
                    for (int c = 0; c < k; c++) {
                        double expected = BruteForceDistance.rho(rows, c);
                        String what = "d=" + d + " K=" + k + " m=" + m[0] + "/" + m[1] + " class " + c;
                        assertEquals(expected, r.rho()[c], 1e-9, what);
                        assertTrue(r.lowerBound()[c] <= r.rho()[c] && r.rho()[c] - r.lowerBound()[c] < 1e-9, what);
                        assertTrue(r.rho()[c] >= 1 - r.classMaxCosine()[c] - 1e-6, what);
                        if (r.rho()[c] > 1 - r.classMaxCosine()[c] + 1e-3) {
                            aboveBound++;
                        }
                    }
                }
            }
        }
        assertTrue(aboveBound > 20, "classes whose rho exceeds 1 - max cos: " + aboveBound);
    }

    /**
     * Larger random codes at the default tolerance: close classes make nearly dependent point sets,
     * and every certificate must still close within the tolerance (these stalled Wolfe's
     * Cholesky-based solve, leaving gaps of 2e-7 and more).
     */
    @Test
    void denseRandomCodesCloseTheirCertificatesAtTheDefaultTolerance() {
        for (int[] shape : new int[][] {{2000, 4, 2411}, {4000, 2, 20211}, {1500, 3, 77}}) {
            try (Arena arena = Arena.ofShared()) {
                OneVsRestResult r = OneVsRestDistance.builder(pool).build()
                        .compute(KnownCodes.toMatrix(arena, KnownCodes.random(shape[0], shape[1], shape[2])));
                assertTrue(r.certificateGap() <= 1e-7, "K=" + shape[0] + " d=" + shape[1] + ": gap " + r.certificateGap());
            }
        }
    }

    @Test
    void duplicateRowsAreAtDistanceZero() {
        double[][] rows = KnownCodes.random(6, 3, 42);
        rows[4] = rows[1].clone();
        OneVsRestResult r = distances(rows, 2);
        assertEquals(0, r.rho()[1]);
        assertEquals(0, r.rho()[4]);
        assertEquals(0, r.lowerBound()[4]);
        assertEquals(1, r.classMaxCosine()[1], 1e-7);
        assertEquals(1, r.nearest()[4]);
    }

    @Test
    void resultsDoNotDependOnThreadsOrBlocks() {
        double[][] rows = KnownCodes.random(300, 5, 3);
        OneVsRestResult reference = null;
        for (int threads : new int[] {1, 3}) {
            for (int block : new int[] {1, 64, 300}) {
                try (Arena arena = Arena.ofShared(); WorkPool p = WorkPool.create(threads)) {
                    AtomicLong done = new AtomicLong();
                    OneVsRestResult r = OneVsRestDistance.builder(p).blockClasses(block).candidates(8)
                            .progress(done::addAndGet).build().compute(KnownCodes.toMatrix(arena, rows));
                    assertEquals(300, done.get());
                    if (reference == null) {
                        reference = r;
                    } else {
                        assertArrayEquals(reference.rho(), r.rho());
                        assertArrayEquals(reference.lowerBound(), r.lowerBound());
                        assertArrayEquals(reference.nearest(), r.nearest());
                    }
                }
            }
        }
    }

    @Test
    void rejectsCodesItCannotMeasure() {
        try (Arena arena = Arena.ofShared()) {
            OneVsRestDistance distance = OneVsRestDistance.builder(pool).build();
            var one = assertThrows(IllegalArgumentException.class,
                    () -> distance.compute(FloatMatrix.of(arena, 1, 2, new float[] {1, 0})));
            assertEquals("one-vs-rest distances need 2 to 2^31 - 1 classes, got 1", one.getMessage());
            var zero = assertThrows(IllegalArgumentException.class,
                    () -> distance.compute(FloatMatrix.of(arena, 2, 2, new float[] {1, 0, 0, 0})));
            assertEquals("row 1 of W is zero: a class needs a direction", zero.getMessage());
            var nan = assertThrows(IllegalArgumentException.class,
                    () -> distance.compute(FloatMatrix.of(arena, 2, 2, new float[] {1, 0, Float.NaN, 0})));
            assertEquals("W[1, 0] = NaN is not finite", nan.getMessage());
            assertThrows(IllegalArgumentException.class, () -> OneVsRestDistance.builder(pool).candidates(0));
        }
    }
}
