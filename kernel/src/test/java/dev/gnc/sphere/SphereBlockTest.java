package dev.gnc.sphere;

import static dev.gnc.sphere.SphereTestData.row;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.optim.OptimiserReference;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link SphereBlock} plans and writes well-conditioned rows itself, matching the float64
 * reference, block after block (including a last block that is not full), and declines, writing
 * nothing, the rows the optimisers must step through {@link RowManifold}: a radial gradient, a
 * zero gradient, a zero step and a step that cancels.
 */
class SphereBlockTest {
    private static final double EPS = 0x1p-24;

    @Test
    void takesRandomRowsAndMatchesTheReference() {
        SplittableRandom random = new SplittableRandom(21);
        int d = 33, rows = 2 * SphereBlock.ROWS + 3;
        double c = 4 + Math.sqrt(d), lr = 0.3, beta = 0.9;
        try (Arena arena = Arena.ofShared()) {
            for (SphereRetraction retraction : SphereRetraction.values()) {
                boolean exponential = retraction == SphereRetraction.EXPONENTIAL_MAP;
                FloatMatrix x = SphereTestData.random(arena, rows, d, true, false, random);
                FloatMatrix g = SphereTestData.random(arena, rows, d, false, false, random);
                FloatMatrix m = SphereTestData.random(arena, rows, d, false, false, random);
                double[][] xs = new double[rows][], ms = new double[rows][], gs = new double[rows][];
                for (int i = 0; i < rows; i++) {
                    SphereTestData.set(m, i, SphereReference.proj(row(x, i), row(m, i)));
                    xs[i] = row(x, i);
                    ms[i] = row(m, i);
                    gs[i] = row(g, i);
                    OptimiserReference.sgd(exponential, xs[i], gs[i], ms[i], beta, nesterov(i), lr, false);
                }
                SphereBlock block = new SphereBlock(retraction);
                for (int from = 0; from < rows; from += SphereBlock.ROWS) {
                    int count = Math.min(SphereBlock.ROWS, rows - from);
                    block.gather(x, g, m, from, count);
                    for (int k = 0; k < count; k++) {
                        boolean nesterov = nesterov(from + k);
                        assertTrue(block.plan(k, beta, 1, nesterov ? 1 : 0, nesterov ? beta : 1, -lr),
                                retraction + ", row " + (from + k) + " planned");
                    }
                    block.write();
                }
                for (int i = 0; i < rows; i++) {
                    double angle = SphereReference.dist(row(x, i), xs[i]);
                    assertTrue(SphereTestData.maxError(x, i, xs[i]) <= c * EPS * (1 + angle),
                            retraction + ", row " + i);
                    double scale = 1 + SphereReference.norm(gs[i]) + SphereReference.norm(ms[i]);
                    assertTrue(SphereTestData.maxError(m, i, ms[i]) <= c * EPS * scale,
                            retraction + ", state of row " + i);
                }
            }
        }
    }

    private static boolean nesterov(int row) {
        return row % 2 == 1;
    }

    @Test
    void declinesWhatTheAlgebraCannotKeepExactOrAccurate() {
        SplittableRandom random = new SplittableRandom(22);
        int d = 17;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, 1, d, true, false, random);
            FloatMatrix g = SphereTestData.random(arena, 1, d, false, false, random);
            FloatMatrix m = FloatMatrix.allocate(arena, 1, d);
            SphereBlock block = new SphereBlock(SphereRetraction.NORMALISATION);
            FloatMatrix radial = FloatMatrix.allocate(arena, 1, d), zero = FloatMatrix.allocate(arena, 1, d);
            SphereTestData.set(radial, 0, SphereReference.combine(3, row(x, 0), 0, row(x, 0)));
            assertFalse(plainStep(block, x, radial, -0.1), "a radial gradient has no tangent part to speak of");
            assertFalse(plainStep(block, x, zero, -0.1), "a zero gradient");
            assertTrue(plainStep(block, x, g, -0.1));
            assertFalse(plainStep(block, x, g, 0), "a zero step must leave x bitwise as it is");
            // m = -r / beta: heavy-ball's m' = beta m + r = 0, so the step u = m' cancels
            double[] r = SphereReference.proj(row(x, 0), row(g, 0));
            SphereTestData.set(g, 0, r);
            SphereTestData.set(m, 0, SphereReference.combine(-2, row(g, 0), 0, r));
            FloatMatrix before = FloatMatrix.allocate(arena, 1, d), momentum = FloatMatrix.allocate(arena, 1, d);
            before.copyFrom(x);
            momentum.copyFrom(m);
            block.gather(x, g, m, 0, 1);
            assertFalse(block.plan(0, 0.5, 1, 0, 1, -0.1), "a step that cancels");
            block.write();
            assertTrue(SphereTestData.bitwiseEqual(before, x), "a declined row's point is not written");
            assertTrue(SphereTestData.bitwiseEqual(momentum, m), "a declined row's state is not written");
        }
    }

    /** Plans plain SGD's step t on the one row of x. */
    private static boolean plainStep(SphereBlock block, FloatMatrix x, FloatMatrix g, double t) {
        block.gather(x, g, null, 0, 1);
        return block.plan(0, 0, 1, 1, 0, t);
    }
}
