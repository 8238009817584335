package dev.gnc.sphere;

import static dev.gnc.sphere.SphereTestData.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.RowChunks;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Geometric facts and edge cases of the oblique-manifold kernels, beyond agreement with the reference. */
class SpherePropertiesTest {
    private static WorkPool[] pools;

    @BeforeAll
    static void setUp() {
        pools = new WorkPool[] {WorkPool.create(1), WorkPool.create(2), WorkPool.create(3)};
    }

    @AfterAll
    static void tearDown() {
        for (WorkPool pool : pools) {
            pool.close();
        }
    }

    private static Oblique oblique() {
        return Oblique.normalising(pools[2]);
    }

    @Test
    void projectedVectorsAreOrthogonalToTheirRows() {
        SplittableRandom random = new SplittableRandom(1);
        for (int d : new int[] {1, 3, 17, 33, 100}) {
            try (Arena arena = Arena.ofShared()) {
                FloatMatrix x = SphereTestData.random(arena, 300, d, true, true, random);
                FloatMatrix u = SphereTestData.random(arena, 300, d, true, false, random); // unit ambient vectors
                oblique().proj(x, u, u);
                for (long i = 0; i < x.rows(); i++) {
                    double inner = SphereReference.dot(row(x, i), row(u, i));
                    assertTrue(Math.abs(inner) <= 1e-6, "d = " + d + ", row " + i + ": <proj, x> = " + inner);
                }
            }
        }
    }

    @Test
    void exponentialMapFollowsTheGreatCircleExactlyDownToTinySteps() {
        // x = e_0, u = e_1: Exp_x(t u) = cos(t) e_0 + sin(t) e_1, every step representable
        double[] steps = {1e-30, 1e-8, 1e-3, 0.3, Math.PI / 2, Math.PI, 5, -2, 1e4};
        try (Arena arena = Arena.ofShared()) {
            int d = 5;
            FloatMatrix x = FloatMatrix.allocate(arena, steps.length, d), u = FloatMatrix.allocate(arena, steps.length, d);
            for (int i = 0; i < steps.length; i++) {
                x.set(i, 0, 1f);
                u.set(i, 1, 1f);
            }
            FloatMatrix out = FloatMatrix.allocate(arena, steps.length, d);
            for (int i = 0; i < steps.length; i++) {
                oblique().expmap(x.rows(i, i + 1), u.rows(i, i + 1), steps[i], out.rows(i, i + 1));
                double t = steps[i];
                assertEquals(Math.cos(t), out.get(i, 0), 1e-7, "cos part at t = " + t);
                assertEquals(Math.sin(t), out.get(i, 1), 1e-7 * Math.max(Math.abs(Math.sin(t)), 1e-30),
                        "sin part, relatively, at t = " + t);
            }
        }
    }

    @Test
    void retractionAgreesWithTheExponentialMapToSecondOrder() {
        // (x + t u)/sqrt(1 + t^2) - Exp_x(t u) = -t^3/3 u + O(t^4) for unit tangent u: the error falls 8x as t halves
        SplittableRandom random = new SplittableRandom(2);
        try (Arena arena = Arena.ofShared()) {
            int k = 20, d = 17;
            FloatMatrix x = SphereTestData.random(arena, k, d, true, false, random);
            FloatMatrix u = SphereTestData.random(arena, k, d, false, false, random);
            for (long i = 0; i < k; i++) {
                double[] p = SphereReference.proj(row(x, i), row(u, i));
                SphereTestData.set(u, i, SphereReference.combine(1 / SphereReference.norm(p), p, 0, p));
            }
            FloatMatrix retr = FloatMatrix.allocate(arena, k, d), exp = FloatMatrix.allocate(arena, k, d);
            double previous = Double.NaN;
            for (double t = 0.2; t >= 0.025; t /= 2) {
                oblique().retr(x, u, t, retr);
                oblique().expmap(x, u, t, exp);
                double error = 0;
                for (long i = 0; i < k; i++) {
                    error = Math.max(error, SphereReference.norm(SphereReference.combine(1, row(retr, i), -1, row(exp, i))));
                }
                assertEquals(t * t * t / 3, error, 0.1 * t * t * t / 3, "error at t = " + t);
                if (!Double.isNaN(previous)) {
                    double ratio = previous / error;
                    assertTrue(ratio > 7 && ratio < 9, "error ratio " + ratio + " as t halves to " + t);
                }
                previous = error;
            }
        }
    }

    @Test
    void aZeroStepLeavesThePointsUnchangedBitwise() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = FloatMatrix.of(arena, 2, 3, new float[] {-0f, 0.6f, -0.8f, 1f, -0f, 0f});
            FloatMatrix u = FloatMatrix.of(arena, 2, 3, new float[] {0.3f, 0f, 0f, 0f, 0f, 0f});
            FloatMatrix out = FloatMatrix.allocate(arena, 2, 3);
            for (Oblique oblique : new Oblique[] {Oblique.normalising(pools[1]), Oblique.exponential(pools[1])}) {
                oblique.retr(x, u, 0, out);
                assertTrue(SphereTestData.bitwiseEqual(x, out), oblique + ": t = 0");
                oblique.retr(x, FloatMatrix.allocate(arena, 2, 3), 5, out);
                assertTrue(SphereTestData.bitwiseEqual(x, out), oblique + ": u = 0");
                oblique.expmap(x, u, 0, out);
                assertTrue(SphereTestData.bitwiseEqual(x, out), oblique + ": expmap at t = 0");
            }
        }
    }

    @Test
    void hugeStepsStayUnitAndFinite() {
        SplittableRandom random = new SplittableRandom(3);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, 50, 7, true, false, random);
            FloatMatrix u = SphereTestData.random(arena, 50, 7, false, false, random);
            oblique().proj(x, u, u);
            FloatMatrix out = FloatMatrix.allocate(arena, 50, 7);
            for (Oblique oblique : new Oblique[] {Oblique.normalising(pools[2]), Oblique.exponential(pools[2])}) {
                for (double t : new double[] {1e30, -1e30, 3e7, -1e15}) {
                    oblique.retr(x, u, t, out);
                    OnSphereCheck check = oblique.check(out, 1e-6);
                    assertTrue(check.onSphere(), oblique + " at t = " + t + ": " + check);
                }
            }
            // the normalising retraction's limit for an infinite step is u / ||u||
            Oblique.normalising(pools[2]).retr(x, u, Double.MAX_VALUE, out);
            for (long i = 0; i < 50; i++) {
                double[] ui = row(u, i);
                assertTrue(SphereTestData.maxError(out, i, SphereReference.normalise(ui)) <= 1e-6, "row " + i);
            }
        }
    }

    @Test
    void nearbyPointsKeepTheirDistanceToFloatPrecision() {
        // y = Exp_x(t u) in float64, rounded: 2 asin(||x - y||/2) keeps its relative accuracy where acos <x, y> cannot
        SplittableRandom random = new SplittableRandom(4);
        try (Arena arena = Arena.ofShared()) {
            int k = 30, d = 33;
            FloatMatrix x = SphereTestData.random(arena, k, d, true, false, random);
            FloatMatrix y = FloatMatrix.allocate(arena, k, d), dist = FloatMatrix.allocate(arena, k, 1);
            for (double t : new double[] {1e-2, 1e-4, 1e-6}) {
                for (long i = 0; i < k; i++) {
                    double[] xi = row(x, i), u = SphereReference.proj(xi, row(SphereTestData.random(arena, 1, d, false,
                            false, random), 0));
                    SphereTestData.set(y, i, SphereReference.expmap(xi, u, t / SphereReference.norm(u)));
                }
                oblique().dist(x, y, dist);
                for (long i = 0; i < k; i++) {
                    double expected = SphereReference.dist(row(x, i), row(y, i));
                    assertEquals(expected, dist.get(i, 0), 1e-6 * expected, "t = " + t + ", row " + i);
                    assertEquals(t, expected, 0.1 * t, "the test moved the point by about t");
                }
            }
        }
    }

    @Test
    void aZeroRowIsAnErrorNamingItUnlessAReplacementIsAskedFor() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = FloatMatrix.of(arena, 4, 3, new float[] {3, 0, 4, 1, 1, 1, 0, 0, 0, 0, 2, 0});
            FloatMatrix out = FloatMatrix.allocate(arena, 4, 3);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> oblique().projx(x, out));
            assertTrue(e.getMessage().startsWith("row 2 of x is zero"), e.getMessage());

            oblique().projx(x, out, 42);
            assertTrue(oblique().check(out, 1e-6).onSphere(), "the replacement is a unit row");
            assertEquals(0.6f, out.get(0, 0));
            assertEquals(1f, out.get(3, 1));
            FloatMatrix again = FloatMatrix.allocate(arena, 4, 3), otherSeed = FloatMatrix.allocate(arena, 4, 3);
            Oblique.normalising(pools[0]).projx(x, again, 42);
            oblique().projx(x, otherSeed, 43);
            assertTrue(SphereTestData.bitwiseEqual(out, again), "the replacement depends on the seed alone");
            assertFalse(SphereTestData.bitwiseEqual(out, otherSeed), "another seed, another replacement");
        }
    }

    @Test
    void rowsThatAreNotFiniteCannotBeNormalisedEvenWithASeed() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = FloatMatrix.of(arena, 3, 2, new float[] {1, 0, 0, 1, Float.NaN, 1});
            FloatMatrix big = FloatMatrix.of(arena, 1, 2, new float[] {3e20f, 1});
            for (FloatMatrix m : new FloatMatrix[] {x, big}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> oblique().projx(m, m, 7));
                long row = m.rows() - 1;
                assertTrue(e.getMessage().startsWith("row " + row + " of x has squared norm"), e.getMessage());
            }
        }
    }

    @Test
    void theCheckReportsTheWorstRowAndTreatsNaNAsWorst() {
        SplittableRandom random = new SplittableRandom(5);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, 9, 4, true, true, random);
            assertTrue(oblique().check(x, 1e-6).onSphere());
            for (int j = 0; j < 4; j++) {
                x.set(5, j, x.get(5, j) * 1.001f);
                x.set(2, j, x.get(2, j) * 0.9995f);
            }
            OnSphereCheck check = oblique().check(x, 1e-6);
            assertEquals(5, check.worstRow());
            assertEquals(1e-3, check.deviation(), 1e-6);
            assertFalse(check.onSphere());
            assertTrue(oblique().check(x, 2e-3).onSphere());
            x.set(7, 1, Float.NaN);
            check = oblique().check(x, 1);
            assertEquals(7, check.worstRow());
            assertFalse(check.onSphere(), "NaN is never on the sphere");
            OnSphereCheck none = oblique().check(FloatMatrix.allocate(arena, 0, 4), 0);
            assertEquals(new OnSphereCheck(-1, 0, 0), none);
            assertTrue(none.onSphere());
        }
    }

    @Test
    void everyOperationGivesTheSameBitsOnOneTwoOrThreeThreads() {
        // 20000 x 17 is six chunks, so the threads share the work
        SplittableRandom random = new SplittableRandom(6);
        long k = 20_000;
        int d = 17;
        assertTrue(RowChunks.chunks(k, d) >= 4, "several chunks");
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, k, d, true, false, random);
            FloatMatrix y = SphereTestData.random(arena, k, d, true, false, random);
            FloatMatrix u = SphereTestData.random(arena, k, d, false, false, random);
            FloatMatrix[] first = null;
            double[] firstScalars = null;
            for (int run = 0; run < 4; run++) {
                WorkPool pool = pools[run % 3];
                FloatMatrix[] outs = new FloatMatrix[6];
                for (int o = 0; o < outs.length; o++) {
                    outs[o] = FloatMatrix.allocate(arena, k, o == 5 ? 1 : d);
                }
                Oblique normalising = Oblique.normalising(pool), exponential = Oblique.exponential(pool);
                normalising.proj(x, u, outs[0]);
                normalising.retr(x, outs[0], 0.7, outs[1]);
                exponential.retr(x, outs[0], 0.7, outs[2]);
                normalising.transp(x, y, outs[0], outs[3]);
                normalising.projx(u, outs[4]);
                normalising.dist(x, y, outs[5]);
                double[] scalars = {normalising.inner(x, outs[0], u), normalising.check(u, 0).deviation()};
                if (first == null) {
                    first = outs;
                    firstScalars = scalars;
                    continue;
                }
                for (int o = 0; o < outs.length; o++) {
                    assertTrue(SphereTestData.bitwiseEqual(first[o], outs[o]), "output " + o + " on " + pool);
                }
                assertEquals(firstScalars[0], scalars[0], 0, "inner product on " + pool);
                assertEquals(firstScalars[1], scalars[1], 0, "check on " + pool);
            }
        }
    }

    @Test
    void anEmptyBlockIsNoWork() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix empty = FloatMatrix.allocate(arena, 0, 5);
            Consumer<Oblique> all = o -> {
                o.proj(empty, empty, empty);
                o.retr(empty, empty, 1, empty);
                o.projx(empty, empty);
                o.dist(empty, empty, FloatMatrix.allocate(arena, 0, 1));
                assertEquals(0, o.inner(empty, empty, empty));
            };
            all.accept(oblique());
        }
    }
}
