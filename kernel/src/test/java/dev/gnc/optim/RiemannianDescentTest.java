package dev.gnc.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.SphereTestData;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every optimiser, on both oblique manifolds, finds the minimiser of a Rayleigh quotient on the
 * sphere: the eigenvector of the smallest eigenvalue, known by construction
 * ({@link RayleighQuotient}).
 */
class RiemannianDescentTest {
    private static final int K = 4;
    private static final int D = 10;
    private static WorkPool pool;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    static RayleighQuotient problem(SplittableRandom random) {
        double[] w = new double[D];
        RandomMatrices.unitVector(random, w);
        return new RayleighQuotient(w);
    }

    /** Every row has reached the minimiser: its Rayleigh quotient within 1e-8 of the smallest eigenvalue. */
    static void assertAtTheMinimiser(RayleighQuotient f, FloatMatrix x, String what) {
        for (long i = 0; i < x.rows(); i++) {
            double gap = f.rowValue(x, i) - f.smallestEigenvalue();
            assertTrue(gap <= 1e-8, what + ", row " + i + ": f - lambda_min = " + gap);
            assertTrue(f.alignment(x, i) >= 1 - 1e-8, what + ", row " + i + ": |cos(x, v)| = " + f.alignment(x, i));
        }
    }

    /**
     * Fixed learning rates below the stability limit of the Riemannian Hessian (eigenvalues
     * 2 (lambda_j - 1) up to 18); Adam's rate decays geometrically, as its normalised steps keep
     * a constant length otherwise.
     */
    @ParameterizedTest
    @EnumSource(OptimiserKind.class)
    void everyOptimiserFindsTheSmallestEigenvector(OptimiserKind kind) {
        SplittableRandom random = new SplittableRandom(21);
        RayleighQuotient f = problem(random);
        try (Arena arena = Arena.ofShared()) {
            for (Oblique oblique : new Oblique[] {Oblique.normalising(pool), Oblique.exponential(pool)}) {
                FloatMatrix x = SphereTestData.random(arena, K, D, true, false, random);
                FloatMatrix g = FloatMatrix.allocate(arena, K, D);
                RiemannianOptimiser optimiser = kind.build(oblique, arena, K, D, 50);
                double start = f.value(x);
                for (int step = 0; step < 2000; step++) {
                    f.valueAndGradient(x, g);
                    optimiser.step(x, g, kind == OptimiserKind.ADAM ? 0.05 * Math.pow(0.995, step) : 0.05);
                }
                assertTrue(f.value(x) < start, "descent");
                assertAtTheMinimiser(f, x, kind + " on " + oblique);
            }
        }
    }
}
