package dev.gnc.ufm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.ReferenceCrossEntropy;
import dev.gnc.metrics.KnownCodes;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The objective's float32 value stays within its stated rounding of the float64 reference's, at random points and at a code. */
class UfmObjectiveTest {
    private static WorkPool pool;

    @BeforeAll
    static void start() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private static UfmObjective tied(Arena arena, int classes, int dim, double tau) {
        UfmLayout layout = new UfmLayout(new SphericalUfm(classes, 1, dim), UfmVariant.TIED, null);
        CrossEntropy ce = CrossEntropy.builder(tau).pool(pool).checkFinite(false).build();
        return new UfmObjective(layout, ce, UfmTraining.identityLabels(arena, classes),
                FloatMatrix.allocate(arena, classes, dim));
    }

    /** The float64 reference's mean loss of the tied UFM at these (float32) points. */
    private static double reference(FloatMatrix points, double tau) {
        int k = (int) points.rows(), d = points.cols();
        int[] labels = new int[k];
        for (int i = 0; i < k; i++) {
            labels[i] = i;
        }
        float[] rows = points.toArray();
        return ReferenceCrossEntropy.compute(rows, rows, labels, k, d, tau, null, "mean", -100, 0, 0, null, null)
                .loss();
    }

    private static void assertWithinRounding(UfmObjective f, FloatMatrix points, double tau, double exact) {
        double value = f.value(points), precise = reference(points, tau);
        String what = "tau " + tau + ": float32 " + value + ", float64 " + precise + ", rounding "
                + f.valueRounding(value);
        if (!Double.isNaN(exact)) {
            assertEquals(exact, precise, 1e-6 * exact, what); // the float32 rows' own rounding
        }
        assertTrue(Math.abs(value - precise) <= f.valueRounding(value), what);
    }

    /** E8 at tau = 30: each class's 56 nearest at cosine 1/2, so the loss is log1p(56 e^-15 + 126 e^-30 + 56 e^-45 + e^-60). */
    @Test
    void atE8() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = KnownCodes.toMatrix(arena, KnownCodes.e8Roots());
            double exact = Math.log1p(56 * Math.exp(-15) + 126 * Math.exp(-30) + 56 * Math.exp(-45) + Math.exp(-60));
            assertWithinRounding(tied(arena, 240, 8, 30), w, 30, exact);
        }
    }

    @Test
    void atRandomPoints() {
        try (Arena arena = Arena.ofShared()) {
            for (double tau : new double[] {1, 10, 100}) {
                FloatMatrix w = RandomMatrices.unitRows(arena, 300, 5, 7, pool);
                assertWithinRounding(tied(arena, 300, 5, tau), w, tau, Double.NaN);
            }
        }
    }
}
