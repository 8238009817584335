package dev.gnc.optim;

import static dev.gnc.sphere.SphereTestData.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.sphere.Manifold;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.OnSphereCheck;
import dev.gnc.sphere.RowByRowManifold;
import dev.gnc.sphere.RowManifold;
import dev.gnc.sphere.SphereReference;
import dev.gnc.sphere.SphereTestData;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fused optimiser steps against the float64 {@link OptimiserReference}, step by step, and the
 * invariants they keep: unit rows, tangent state, exact zero steps, finite huge steps, and the
 * same bits on any number of threads.
 *
 * <p>Tolerances, in eps = 2^-24 with {@code c = 4 + sqrt(d)} as in the sphere package's SphereKernelsTest:
 * points within {@code c eps (1 + angle)}, the angle being the step's length; state within
 * {@code c eps} times the scale of the gradient and the state.
 */
class RiemannianOptimiserTest {
    private static final double EPS = 0x1p-24;
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

    private static Oblique manifold(boolean exponential, WorkPool pool) {
        return exponential ? Oblique.exponential(pool) : Oblique.normalising(pool);
    }

    /** Each case also row by row: through {@link RowManifold} rather than {@link SphereStep}. */
    static Stream<Arguments> cases() {
        return Stream.of(OptimiserKind.values()).flatMap(kind -> Stream.of(false, true).flatMap(exp -> Stream.of(
                Arguments.of(kind, exp, 1L, 1, false), Arguments.of(kind, exp, 7L, 3, true),
                Arguments.of(kind, exp, 1L, 17, false), Arguments.of(kind, exp, 300L, 16, true),
                Arguments.of(kind, exp, 40L, 33, false), Arguments.of(kind, exp, 9L, 100, true))))
                .flatMap(a -> Stream.of(false, true).map(rowByRow -> Arguments.of(a.get()[0], a.get()[1], a.get()[2],
                        a.get()[3], a.get()[4], rowByRow)));
    }

    @ParameterizedTest(name = "{0}, exponential {1}, {2} x {3}, strided {4}, row by row {5}")
    @MethodSource("cases")
    void everyStepMatchesTheReference(OptimiserKind kind, boolean exponential, long k, int d, boolean strided,
            boolean rowByRow) {
        SplittableRandom random = new SplittableRandom(k * 100 + d + kind.ordinal() * 7 + (exponential ? 3 : 0));
        double c = 4 + Math.sqrt(d), lr = 0.3;
        int stabilize = 2;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, k, d, true, strided, random);
            Oblique oblique = manifold(exponential, pools[2]);
            Manifold manifold = rowByRow ? new RowByRowManifold(oblique) : oblique;
            RiemannianOptimiser optimiser = kind.build(manifold, arena, k, d, stabilize);
            FloatMatrix m = OptimiserKind.tangentState(optimiser);
            for (int n = 1; n <= 5; n++) {
                FloatMatrix g = SphereTestData.random(arena, k, d, false, strided, random);
                double[][] xs = new double[(int) k][], ms = new double[(int) k][], vs = new double[(int) k][];
                double[] angle = new double[(int) k];
                for (int i = 0; i < k; i++) {
                    xs[i] = row(x, i);
                    ms[i] = m == null ? null : row(m, i);
                    vs[i] = optimiser instanceof RiemannianAdam adam ? row(adam.secondMoment(), i) : null;
                    kind.referenceStep(exponential, xs[i], row(g, i), ms[i], vs[i], n, lr, n % stabilize == 0);
                    angle[i] = SphereReference.dist(row(x, i), xs[i]);
                }
                optimiser.step(x, g, lr);
                for (int i = 0; i < k; i++) {
                    double xError = SphereTestData.maxError(x, i, xs[i]);
                    assertTrue(xError <= c * EPS * (1 + angle[i]), "step " + n + ", row " + i + ": point error " + xError);
                    if (m != null) {
                        double scale = 1 + SphereReference.norm(row(g, i)) + SphereReference.norm(ms[i]);
                        double mError = SphereTestData.maxError(m, i, ms[i]);
                        assertTrue(mError <= c * EPS * scale, "step " + n + ", row " + i + ": state error " + mError);
                    }
                    if (vs[i] != null) {
                        assertEquals(vs[i][0], ((RiemannianAdam) optimiser).secondMoment().get(i, 0),
                                c * EPS * vs[i][0], "step " + n + ", row " + i + ": second moment");
                    }
                }
            }
            assertEquals(5, optimiser.steps());
        }
    }

    /**
     * Random Gaussian gradients, 10^4 steps at lr 0.05 on 50 x 7. The normalising retraction
     * renormalises every step; the exponential map's closed form drifts by rounding (about 1e-6
     * after these steps when unchecked), so it runs with stabilize every 100 steps.
     */
    @ParameterizedTest
    @EnumSource(OptimiserKind.class)
    void rowsStayUnitAndStateTangentOverTenThousandSteps(OptimiserKind kind) {
        SplittableRandom random = new SplittableRandom(11);
        long k = 50;
        int d = 7;
        try (Arena arena = Arena.ofShared()) {
            for (boolean exponential : new boolean[] {false, true}) {
                Oblique oblique = manifold(exponential, pools[1]);
                FloatMatrix x = SphereTestData.random(arena, k, d, true, false, random);
                FloatMatrix g = FloatMatrix.allocate(arena, k, d);
                RiemannianOptimiser optimiser = kind.build(oblique, arena, k, d, exponential ? 100 : 0);
                for (int step = 0; step < 10_000; step++) {
                    for (long i = 0; i < k; i++) {
                        for (int j = 0; j < d; j++) {
                            g.set(i, j, (float) random.nextGaussian());
                        }
                    }
                    optimiser.step(x, g, 0.05);
                }
                OnSphereCheck check = oblique.check(x, 1e-6);
                assertTrue(check.onSphere(), kind + " on " + oblique + ": " + check);
                FloatMatrix m = OptimiserKind.tangentState(optimiser);
                for (long i = 0; m != null && i < k; i++) {
                    double[] mi = row(m, i);
                    double inner = SphereReference.dot(mi, row(x, i));
                    assertTrue(Math.abs(inner) <= 1e-6 * Math.max(1, SphereReference.norm(mi)),
                            kind + " on " + oblique + ", row " + i + ": <m, x> = " + inner);
                }
            }
        }
    }

    /** Points 1% off the sphere: only a stabilizing step brings them back under the exponential map. */
    @ParameterizedTest
    @EnumSource(OptimiserKind.class)
    void stabilizeRestoresThePointsAndTheirTangentState(OptimiserKind kind) {
        SplittableRandom random = new SplittableRandom(15);
        try (Arena arena = Arena.ofShared()) {
            Oblique oblique = Oblique.exponential(pools[2]);
            for (int stabilize : new int[] {0, 3}) {
                FloatMatrix x = SphereTestData.random(arena, 30, 5, true, false, random);
                RiemannianOptimiser optimiser = kind.build(oblique, arena, 30, 5, stabilize);
                for (int step = 1; step <= 3; step++) {
                    for (long i = 0; i < 30; i++) {
                        SphereTestData.set(x, i, SphereReference.combine(1.01, row(x, i), 0, row(x, i)));
                    }
                    optimiser.step(x, SphereTestData.random(arena, 30, 5, false, false, random), 0.1);
                }
                OnSphereCheck check = oblique.check(x, 1e-6);
                assertEquals(stabilize > 0, check.onSphere(), kind + ", stabilize " + stabilize + ": " + check);
                FloatMatrix m = OptimiserKind.tangentState(optimiser);
                for (long i = 0; stabilize > 0 && m != null && i < 30; i++) {
                    double inner = SphereReference.dot(row(m, i), row(x, i));
                    assertTrue(Math.abs(inner) <= 1e-6, kind + ", row " + i + ": <m, x> = " + inner);
                }
            }
        }
    }

    @Test
    void aZeroGradientLeavesThePointsUnchangedBitwise() {
        SplittableRandom random = new SplittableRandom(12);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix zero = FloatMatrix.allocate(arena, 9, 5);
            for (OptimiserKind kind : OptimiserKind.values()) {
                for (boolean exponential : new boolean[] {false, true}) {
                    FloatMatrix x = SphereTestData.random(arena, 9, 5, true, true, random);
                    FloatMatrix before = FloatMatrix.allocate(arena, 9, 5);
                    before.copyFrom(x);
                    kind.build(manifold(exponential, pools[2]), arena, 9, 5, 0).step(x, zero, 0.5);
                    assertTrue(SphereTestData.bitwiseEqual(before, x), kind + ", exponential " + exponential);
                }
            }
            // plain SGD keeps no state: a zero gradient after other steps moves nothing either
            FloatMatrix x = SphereTestData.random(arena, 9, 5, true, false, random);
            RiemannianOptimiser sgd = OptimiserKind.PLAIN.build(Oblique.normalising(pools[2]), arena, 9, 5, 0);
            sgd.step(x, SphereTestData.random(arena, 9, 5, false, false, random), 0.5);
            FloatMatrix before = FloatMatrix.allocate(arena, 9, 5);
            before.copyFrom(x);
            sgd.step(x, zero, 0.5);
            assertTrue(SphereTestData.bitwiseEqual(before, x));
        }
    }

    @ParameterizedTest
    @EnumSource(OptimiserKind.class)
    void hugeLearningRatesKeepRowsUnitAndFinite(OptimiserKind kind) {
        SplittableRandom random = new SplittableRandom(13);
        try (Arena arena = Arena.ofShared()) {
            for (boolean exponential : new boolean[] {false, true}) {
                Oblique oblique = manifold(exponential, pools[2]);
                FloatMatrix x = SphereTestData.random(arena, 20, 6, true, false, random);
                RiemannianOptimiser optimiser = kind.build(oblique, arena, 20, 6, 0);
                for (double lr : new double[] {1e30, 1e6, 1e15}) {
                    optimiser.step(x, SphereTestData.random(arena, 20, 6, false, false, random), lr);
                    OnSphereCheck check = oblique.check(x, 1e-6);
                    assertTrue(check.onSphere(), kind + " on " + oblique + " at lr " + lr + ": " + check);
                }
            }
        }
    }

    /** 20000 x 17 is six chunks; Adam and Nesterov with stabilize every other step, three steps each. */
    @Test
    void twoRunsAndOneToThreeThreadsGiveTheSameBits() {
        long k = 20_000;
        int d = 17;
        for (OptimiserKind kind : new OptimiserKind[] {OptimiserKind.NESTEROV, OptimiserKind.ADAM}) {
            try (Arena arena = Arena.ofShared()) {
                FloatMatrix[] gradients = new FloatMatrix[3];
                SplittableRandom random = new SplittableRandom(14);
                FloatMatrix start = SphereTestData.random(arena, k, d, true, false, random);
                for (int s = 0; s < gradients.length; s++) {
                    gradients[s] = SphereTestData.random(arena, k, d, false, false, random);
                }
                FloatMatrix firstX = null, firstState = null;
                for (int run = 0; run < 4; run++) {
                    WorkPool pool = pools[run % 3];
                    FloatMatrix x = FloatMatrix.allocate(arena, k, d);
                    x.copyFrom(start);
                    RiemannianOptimiser optimiser = kind.build(Oblique.exponential(pool), arena, k, d, 2);
                    for (FloatMatrix g : gradients) {
                        optimiser.step(x, g, 0.2);
                    }
                    FloatMatrix state = OptimiserKind.tangentState(optimiser);
                    if (firstX == null) {
                        firstX = x;
                        firstState = state;
                        continue;
                    }
                    assertTrue(SphereTestData.bitwiseEqual(firstX, x), kind + ": points on " + pool);
                    assertTrue(SphereTestData.bitwiseEqual(firstState, state), kind + ": state on " + pool);
                }
            }
        }
    }
}
