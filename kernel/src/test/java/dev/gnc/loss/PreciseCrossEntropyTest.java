package dev.gnc.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The float64 loss against the float64 {@link ReferenceCrossEntropy} and against a confident sample's own formula. */
class PreciseCrossEntropyTest {
    private static WorkPool pool;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(3);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    private static float[] gaussian(SplittableRandom random, int size) {
        float[] a = new float[size];
        for (int i = 0; i < size; i++) {
            a[i] = (float) random.nextGaussian();
        }
        return a;
    }

    private static int[] labels(SplittableRandom random, int n, int k) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextInt(k);
        }
        return y;
    }

    /** Shapes at and around the vector width, K = 1, d = 1, a single row and a tau where float32's exp would overflow. */
    @ParameterizedTest(name = "K {0}, N {1}, d {2}, tau {3}")
    @CsvSource({"1, 7, 3, 30", "2, 1, 1, 1", "7, 5, 8, 0.1", "13, 31, 17, 30", "33, 9, 4, 1000", "240, 24, 8, 30",
        "1031, 3, 16, 10", "65, 200, 2, 3"})
    void matchesTheReference(int k, int n, int d, double tau) {
        SplittableRandom random = new SplittableRandom(k * 31L + n * 7L + d);
        float[] w = gaussian(random, k * d), h = gaussian(random, n * d);
        int[] y = labels(random, n, k);
        double expected = ReferenceCrossEntropy.compute(w, h, y, k, d, tau, null, "mean", -100, 0, 0, null, null)
                .loss();
        try (Arena arena = Arena.ofShared()) {
            double got = PreciseCrossEntropy.of(tau, pool).meanLoss(FloatMatrix.of(arena, k, d, w),
                    FloatMatrix.of(arena, n, d, h), Labels.of(arena, y));
            assertEquals(expected, got, 1e-13 * Math.max(1, expected));
        }
    }

    /** Rows that are their own classes' weights (the tied UFM near a code): losses far below float32's rounding keep 12 digits. */
    @Test
    void confidentSamplesKeepTheirRelativeAccuracy() {
        int k = 12, d = 6;
        double tau = 200;
        SplittableRandom random = new SplittableRandom(5);
        float[] w = new float[k * d];
        for (int c = 0; c < k; c++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                w[c * d + j] = (float) random.nextGaussian();
                norm += (double) w[c * d + j] * w[c * d + j];
            }
            for (int j = 0; j < d; j++) {
                w[c * d + j] = (float) (w[c * d + j] / Math.sqrt(norm));
            }
        }
        int[] y = new int[k];
        double expected = 0;
        for (int i = 0; i < k; i++) {
            y[i] = i;
            double self = tau * dot(w, i, w, i, d), others = 0;
            for (int c = 0; c < k; c++) {
                if (c != i) {
                    others += Math.exp(tau * dot(w, i, w, c, d) - self);
                }
            }
            expected += Math.log1p(others) / k;
        }
        assertTrue(expected < 1e-6 && expected > 0, "the case must be confident, loss " + expected);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix wm = FloatMatrix.of(arena, k, d, w);
            double got = PreciseCrossEntropy.of(tau, pool).meanLoss(wm, wm, Labels.of(arena, y));
            assertEquals(expected, got, 1e-12 * expected);
        }
    }

    private static double dot(float[] a, int i, float[] b, int c, int d) {
        double s = 0;
        for (int j = 0; j < d; j++) {
            s += (double) a[i * d + j] * b[c * d + j];
        }
        return s;
    }

    @Test
    void theSameForEveryThreadCount() {
        SplittableRandom random = new SplittableRandom(9);
        int k = 300, n = 4000, d = 5; // several chunks of rows
        float[] w = gaussian(random, k * d), h = gaussian(random, n * d);
        int[] y = labels(random, n, k);
        try (Arena arena = Arena.ofShared(); WorkPool one = WorkPool.create(1)) {
            FloatMatrix wm = FloatMatrix.of(arena, k, d, w), hm = FloatMatrix.of(arena, n, d, h);
            Labels labels = Labels.of(arena, y);
            assertEquals(PreciseCrossEntropy.of(2, one).meanLoss(wm, hm, labels),
                    PreciseCrossEntropy.of(2, pool).meanLoss(wm, hm, labels));
        }
    }

    @Test
    void badInputIsNamed() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = FloatMatrix.allocate(arena, 4, 3), h = FloatMatrix.allocate(arena, 2, 3);
            PreciseCrossEntropy ce = PreciseCrossEntropy.of(1, pool);
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.meanLoss(w, h, Labels.of(arena, 0, 4)))
                    .getMessage().contains("y[1] = 4"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.meanLoss(w,
                    FloatMatrix.allocate(arena, 2, 2), Labels.of(arena, 0, 1))).getMessage().contains("dimensions"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> ce.meanLoss(w, h, Labels.of(arena, 0)))
                    .getMessage().contains("1 labels for 2"));
            assertTrue(assertThrows(IllegalArgumentException.class, () -> PreciseCrossEntropy.of(Double.NaN, pool))
                    .getMessage().contains("NaN"));
        }
    }
}
