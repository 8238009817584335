package dev.gnc.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.SphereTestData;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Armijo line search: it reaches the Rayleigh minimiser, and its steps, counts and failures are as documented. */
class RiemannianLineSearchTest {
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

    @Test
    void reachesTheSmallestEigenvectorWithin100StepsOnBothManifoldsWithSufficientDecreaseEach() {
        SplittableRandom random = new SplittableRandom(31);
        RayleighQuotient f = RiemannianDescentTest.problem(random);
        try (Arena arena = Arena.ofShared()) {
            for (Oblique oblique : new Oblique[] {Oblique.normalising(pool), Oblique.exponential(pool)}) {
                FloatMatrix x = SphereTestData.random(arena, K, D, true, false, random);
                ArmijoLineSearch search = ArmijoLineSearch.builder(oblique).build(arena, K, D);
                double value = f.value(x);
                int iterations = 0;
                for (LineSearchStep step; iterations < 100; iterations++) {
                    step = search.step(f, x);
                    if (!step.moved()) {
                        break;
                    }
                    assertTrue(step.value() <= value - 1e-4 * step.step() * step.gradientNorm() * step.gradientNorm(),
                            "sufficient decrease at iteration " + iterations);
                    assertEquals(f.value(x), step.value(), 0, "the reported value is the new point's");
                    value = step.value();
                }
                RiemannianDescentTest.assertAtTheMinimiser(f, x, "line search on " + oblique + " after " + iterations
                        + " iterations");
            }
        }
    }

    @Test
    void theStepGrowsAfterASuccessAndShrinksUntilOne() {
        SplittableRandom random = new SplittableRandom(32);
        RayleighQuotient f = RiemannianDescentTest.problem(random);
        try (Arena arena = Arena.ofShared()) {
            Oblique oblique = Oblique.normalising(pool);
            FloatMatrix x = SphereTestData.random(arena, K, D, true, false, random);

            ArmijoLineSearch careful = ArmijoLineSearch.builder(oblique).initialStep(1e-6).build(arena, K, D);
            LineSearchStep small = careful.step(f, x);
            assertEquals(1e-6, small.step());
            assertEquals(2, small.evaluations(), "the gradient, then one trial");
            assertEquals(2e-6, careful.trialStep());

            // from a step of 1e6, count the halvings an independent evaluation of the test predicts
            FloatMatrix start = FloatMatrix.allocate(arena, K, D), g = FloatMatrix.allocate(arena, K, D);
            start.copyFrom(x);
            double f0 = f.valueAndGradient(x, g);
            oblique.proj(x, g, g);
            double squared = oblique.inner(x, g, g);
            FloatMatrix trial = FloatMatrix.allocate(arena, K, D);
            double t = 1e6;
            int failures = 0;
            for (; ; t /= 2, failures++) {
                oblique.retr(x, g, -t, trial);
                if (f.value(trial) <= f0 - 1e-4 * t * squared) {
                    break;
                }
            }
            assertTrue(failures >= 5, "the case backtracks: " + failures);
            ArmijoLineSearch bold = ArmijoLineSearch.builder(oblique).initialStep(1e6).build(arena, K, D);
            LineSearchStep big = bold.step(f, x);
            assertEquals(t, big.step());
            assertEquals(2 + failures, big.evaluations());
            assertEquals(2 * t, bold.trialStep());
            assertTrue(SphereTestData.bitwiseEqual(trial, x), "the points moved to the accepted trial");
            assertEquals(Math.sqrt(squared), big.gradientNorm(), 0);
        }
    }

    @Test
    void afterTheLastBacktrackThePointsStayAndTheStepStaysSmall() {
        SplittableRandom random = new SplittableRandom(33);
        RayleighQuotient rayleigh = RiemannianDescentTest.problem(random);
        Objective neverLower = new Objective() { // a trial never decreases: every step fails
            @Override
            public double value(FloatMatrix x) {
                return 1e9;
            }

            @Override
            public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
                return rayleigh.valueAndGradient(x, euclideanGradient);
            }
        };
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, K, D, true, false, random);
            FloatMatrix before = FloatMatrix.allocate(arena, K, D);
            before.copyFrom(x);
            ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.exponential(pool)).initialStep(8).shrink(0.25)
                    .maxBacktracks(3).build(arena, K, D);
            LineSearchStep step = search.step(neverLower, x);
            assertEquals(new LineSearchStep(0, rayleigh.value(x), step.gradientNorm(), 5), step);
            assertTrue(SphereTestData.bitwiseEqual(before, x));
            assertEquals(8 * Math.pow(0.25, 4), search.trialStep());
        }
    }

    @Test
    void aZeroGradientIsOneEvaluationAndNoMove() {
        Objective flat = new Objective() {
            @Override
            public double value(FloatMatrix x) {
                return 3;
            }

            @Override
            public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
                euclideanGradient.fill(0);
                return 3;
            }
        };
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, K, D, true, false, new SplittableRandom(34));
            ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.normalising(pool)).build(arena, K, D);
            assertEquals(new LineSearchStep(0, 3, 0, 1), search.step(flat, x));
            assertEquals(1, search.trialStep(), "unchanged");
        }
    }

    /** Steps until the search stops moving or {@code limit}; x ends where the search left it. */
    private static int stepsUntilStuck(ArmijoLineSearch search, Objective f, FloatMatrix x, int limit) {
        int steps = 0;
        while (steps < limit && search.step(f, x).moved()) {
            steps++;
        }
        return steps;
    }

    /** The largest f - lambda_min over the rows. */
    private static double worstGap(RayleighQuotient f, FloatMatrix x) {
        double worst = 0;
        for (long i = 0; i < x.rows(); i++) {
            worst = Math.max(worst, f.rowValue(x, i) - f.smallestEigenvalue());
        }
        return worst;
    }

    /**
     * Polak-Ribiere+ directions reach the Rayleigh minimiser (eigenvalues 1..10) in at least a
     * fifth fewer steps than steepest descent (34 against 47 here; one beta for all rows, whose
     * problems are independent, limits the gain), with a decrease at every step.
     */
    @Test
    void conjugateDirectionsReachTheMinimiserInFewerSteps() {
        SplittableRandom random = new SplittableRandom(36);
        RayleighQuotient f = RiemannianDescentTest.problem(random);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix start = SphereTestData.random(arena, K, D, true, false, random);
            int[] steps = new int[2];
            for (int conjugate = 0; conjugate < 2; conjugate++) {
                FloatMatrix x = FloatMatrix.allocate(arena, K, D);
                x.copyFrom(start);
                ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.normalising(pool))
                        .conjugate(conjugate == 1).build(arena, K, D);
                double value = f.value(x);
                while (worstGap(f, x) > 1e-10 && steps[conjugate] < 1000) {
                    LineSearchStep step = search.step(f, x);
                    assertTrue(step.moved(), "stuck at a gap of " + worstGap(f, x));
                    assertTrue(step.value() < value, "a decrease at step " + steps[conjugate]);
                    value = step.value();
                    steps[conjugate]++;
                }
                RiemannianDescentTest.assertAtTheMinimiser(f, x, (conjugate == 1 ? "conjugate" : "steepest"));
            }
            assertTrue(5 * steps[1] < 4 * steps[0], "conjugate " + steps[1] + " steps, steepest " + steps[0]);
        }
    }

    /**
     * A value rounded by up to 1e-7 relative stops a plain search some 1e-7 above the minimum;
     * told the rounding, the search decides what it hides on slopes, gets within float32's reach
     * of the minimiser (1e-12 in f), and then stops by itself.
     */
    @Test
    void trialsTheRoundingHidesAreDecidedOnSlopes() {
        SplittableRandom random = new SplittableRandom(37);
        RayleighQuotient f = RiemannianDescentTest.problem(random);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix start = SphereTestData.random(arena, K, D, true, false, random);
            double[] gaps = new double[2];
            for (int told = 0; told < 2; told++) {
                Objective rounded = new RoundedValue(f, 1e-7 * K, told == 1);
                FloatMatrix x = FloatMatrix.allocate(arena, K, D);
                x.copyFrom(start);
                ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.normalising(pool)).conjugate(true)
                        .build(arena, K, D);
                int steps = stepsUntilStuck(search, rounded, x, 2000);
                assertTrue(steps < 2000, "the search stops by itself, told " + (told == 1));
                gaps[told] = worstGap(f, x);
            }
            assertTrue(gaps[0] > 1e-9, "the rounding hides the last digits: " + gaps[0]);
            assertTrue(gaps[1] < 1e-12, "the slopes see them: " + gaps[1]);
        }
    }

    /**
     * A trial passed on slopes hands its gradient to the next step: the path is bitwise that of
     * searches made afresh at every step (each recomputing the gradient), with fewer gradient
     * evaluations.
     */
    @Test
    void aGradientTakenByASlopeTestIsTheNextStepsExactly() {
        SplittableRandom random = new SplittableRandom(38);
        RayleighQuotient f = RiemannianDescentTest.problem(random);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix start = SphereTestData.random(arena, K, D, true, false, random);
            FloatMatrix kept = FloatMatrix.allocate(arena, K, D), fresh = FloatMatrix.allocate(arena, K, D);
            kept.copyFrom(start);
            fresh.copyFrom(start);
            Objective rounded = new RoundedValue(f, 1e-7 * K, true);
            CountingGradients keeping = new CountingGradients(rounded), afresh = new CountingGradients(rounded);
            Oblique oblique = Oblique.normalising(pool);
            ArmijoLineSearch one = ArmijoLineSearch.builder(oblique).build(arena, K, D);
            int steps = 0;
            for (boolean moved = true; moved && steps < 1000; steps++) {
                ArmijoLineSearch renewed = ArmijoLineSearch.builder(oblique).initialStep(one.trialStep())
                        .build(arena, K, D);
                LineSearchStep a = one.step(keeping, kept), b = renewed.step(afresh, fresh);
                assertEquals(b.step(), a.step(), "step " + steps);
                assertEquals(b.value(), a.value(), "step " + steps);
                assertTrue(SphereTestData.bitwiseEqual(fresh, kept), "points after step " + steps);
                moved = a.moved();
            }
            assertTrue(steps > 20 && steps < 1000, "the search ran " + steps + " steps");
            assertTrue(keeping.gradients < afresh.gradients, keeping.gradients + " gradients kept against "
                    + afresh.gradients + " afresh");
        }
    }

    /** Counts gradient evaluations. */
    private static final class CountingGradients implements Objective {
        final Objective f;
        int gradients;

        CountingGradients(Objective f) {
            this.f = f;
        }

        @Override
        public double value(FloatMatrix x) {
            return f.value(x);
        }

        @Override
        public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
            gradients++;
            return f.valueAndGradient(x, euclideanGradient);
        }

        @Override
        public double valueRounding(double value) {
            return f.valueRounding(value);
        }
    }

    /**
     * f plus a pseudo-random error of up to {@code rounding}, fixed by the points' bits (as a
     * float32 loss's rounding is), and with {@code told} that bound and the exact value.
     */
    private record RoundedValue(RayleighQuotient f, double rounding, boolean told) implements Objective {
        private double error(FloatMatrix x) {
            long h = 0x9E3779B97F4A7C15L;
            for (long i = 0; i < x.rows(); i++) {
                for (int j = 0; j < x.cols(); j++) {
                    h = (h ^ Float.floatToRawIntBits(x.get(i, j))) * 0xBF58476D1CE4E5B9L;
                }
            }
            h ^= h >>> 31;
            return rounding * ((h >>> 11) * 0x1.0p-53 * 2 - 1);
        }

        @Override
        public double value(FloatMatrix x) {
            return f.value(x) + error(x);
        }

        @Override
        public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
            return f.valueAndGradient(x, euclideanGradient) + error(x);
        }

        @Override
        public double valueRounding(double value) {
            return told ? rounding : 0;
        }

    }

    @Test
    void badOptionsAndArgumentsAreRejected() {
        Oblique oblique = Oblique.normalising(pool);
        assertEquals("sufficient decrease c must be in (0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> ArmijoLineSearch.builder(oblique).sufficientDecrease(1)).getMessage());
        assertEquals("shrink factor must be in (0, 1), got 1.0", assertThrows(IllegalArgumentException.class,
                () -> ArmijoLineSearch.builder(oblique).shrink(1)).getMessage());
        assertEquals("grow factor must be finite and >= 1, got 0.5", assertThrows(IllegalArgumentException.class,
                () -> ArmijoLineSearch.builder(oblique).grow(0.5)).getMessage());
        assertEquals("initial step must be finite and > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                () -> ArmijoLineSearch.builder(oblique).initialStep(0)).getMessage());
        assertEquals("max backtracks must be >= 0, got -1", assertThrows(IllegalArgumentException.class,
                () -> ArmijoLineSearch.builder(oblique).maxBacktracks(-1)).getMessage());
        Objective broken = new Objective() {
            @Override
            public double value(FloatMatrix x) {
                return Double.NaN;
            }

            @Override
            public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
                euclideanGradient.fill(1);
                return Double.NaN;
            }
        };
        try (Arena arena = Arena.ofShared()) {
            ArmijoLineSearch search = ArmijoLineSearch.builder(oblique).build(arena, K, D);
            FloatMatrix x = SphereTestData.random(arena, K, D, true, false, new SplittableRandom(35));
            assertEquals("the objective is NaN with a squared gradient norm of 0.0 at x; a line search needs both finite",
                    assertThrows(IllegalArgumentException.class, () -> search.step(broken, x)).getMessage()
                            .replaceAll("norm of [^ ]+ at", "norm of 0.0 at"));
            assertEquals("x is 3 x 10 but this line search holds buffers for 4 x 10", assertThrows(
                    IllegalArgumentException.class, () -> search.step(broken, FloatMatrix.allocate(arena, 3, D)))
                    .getMessage());
        }
    }
}
