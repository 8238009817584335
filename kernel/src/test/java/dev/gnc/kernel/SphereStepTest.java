package dev.gnc.kernel;

import static dev.gnc.kernel.SphereTestData.row;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SphereStep} takes well-conditioned rows itself, matching the float64 reference, and
 * declines, writing nothing, the rows the optimisers must step through {@link RowManifold}: a
 * radial gradient, a zero gradient, a zero step and a step that cancels.
 */
class SphereStepTest {
    private static final double EPS = 0x1p-24;

    @Test
    void takesRandomRowsAndMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(21);
        int d = 33;
        double c = 4 + Math.sqrt(d), lr = 0.3, beta = 0.9;
        try (Arena arena = Arena.ofShared()) {
            for (SphereRetraction retraction : SphereRetraction.values()) {
                boolean exponential = retraction == SphereRetraction.EXPONENTIAL_MAP;
                FloatMatrix x = SphereTestData.random(arena, 50, d, true, false, random);
                FloatMatrix g = SphereTestData.random(arena, 50, d, false, false, random);
                FloatMatrix m = SphereTestData.random(arena, 50, d, false, false, random);
                SphereStep step = new SphereStep(retraction);
                for (long i = 0; i < 50; i++) {
                    double[] xi = row(x, i), mi = SphereReference.proj(xi, row(m, i));
                    SphereTestData.set(m, i, mi);
                    mi = row(m, i);
                    boolean nesterov = i % 2 == 1;
                    OptimiserReference.sgd(exponential, xi, row(g, i), mi, beta, nesterov, lr, false);
                    double angle = SphereReference.dist(row(x, i), xi);
                    assertTrue(step.gather(x.segment(), x.byteOffset(i, 0), g.segment(), g.byteOffset(i, 0),
                            m.segment(), m.byteOffset(i, 0), d), retraction + ", row " + i + " gathered");
                    assertTrue(step.move(x.segment(), x.byteOffset(i, 0), g.segment(), g.byteOffset(i, 0),
                            m.segment(), m.byteOffset(i, 0), d, beta, 1, nesterov ? 1 : 0, nesterov ? beta : 1, -lr),
                            retraction + ", row " + i + " moved");
                    assertTrue(SphereTestData.maxError(x, i, xi) <= c * EPS * (1 + angle), retraction + ", row " + i);
                    double scale = 1 + SphereReference.norm(row(g, i)) + SphereReference.norm(mi);
                    assertTrue(SphereTestData.maxError(m, i, mi) <= c * EPS * scale, retraction + ", state of row " + i);
                }
            }
        }
    }

    @Test
    void declinesWhatTheAlgebraCannotKeepExactOrAccurate() {
        SplittableRandom random = new SplittableRandom(22);
        int d = 17;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, 1, d, true, false, random);
            FloatMatrix g = SphereTestData.random(arena, 1, d, false, false, random);
            FloatMatrix m = FloatMatrix.allocate(arena, 1, d);
            SphereStep step = new SphereStep(SphereRetraction.NORMALISATION);
            FloatMatrix radial = FloatMatrix.allocate(arena, 1, d), zero = FloatMatrix.allocate(arena, 1, d);
            SphereTestData.set(radial, 0, SphereReference.combine(3, row(x, 0), 0, row(x, 0)));
            assertFalse(gather(step, x, radial, null), "a radial gradient has no tangent part to speak of");
            assertFalse(gather(step, x, zero, null), "a zero gradient");
            assertTrue(gather(step, x, g, null));
            assertFalse(move(step, x, g, null, 0, 0, 1, 0, 0), "a zero step must leave x bitwise as it is");
            // m = -r / beta: heavy-ball's m' = beta m + r = 0, so the step u = m' cancels
            double[] r = SphereReference.proj(row(x, 0), row(g, 0));
            SphereTestData.set(g, 0, r);
            SphereTestData.set(m, 0, SphereReference.combine(-2, row(g, 0), 0, r));
            FloatMatrix before = FloatMatrix.allocate(arena, 1, d);
            before.copyFrom(x);
            assertTrue(gather(step, x, g, m));
            assertFalse(move(step, x, g, m, 0.5, 1, 0, 1, -0.1), "a step that cancels");
            assertTrue(SphereTestData.bitwiseEqual(before, x), "a declined step writes nothing");
        }
    }

    private static boolean gather(SphereStep step, FloatMatrix x, FloatMatrix g, FloatMatrix m) {
        return step.gather(x.segment(), 0, g.segment(), 0, m == null ? null : m.segment(), 0, x.cols());
    }

    private static boolean move(SphereStep step, FloatMatrix x, FloatMatrix g, FloatMatrix m, double p, double q,
            double s, double w, double t) {
        return step.move(x.segment(), 0, g.segment(), 0, m == null ? null : m.segment(), 0, x.cols(), p, q, s, w, t);
    }
}
