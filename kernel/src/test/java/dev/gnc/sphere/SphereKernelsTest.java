package dev.gnc.sphere;

import static dev.gnc.sphere.SphereTestData.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every oblique-manifold kernel against the float64 {@link SphereReference}, on random data over
 * shapes with d = 1, d below, at and around multiples of every vector width, K = 1 and odd K, and
 * strided blocks of larger matrices.
 *
 * <p>Tolerances are in units of eps = 2^-24, times the scale of the values an operation writes:
 * {@code c(d) = 4 + sqrt(d)}, as the rounding of a float32 sum of d random products grows
 * (measured: at most 2.5 eps at any of these d).
 */
class SphereKernelsTest {
    private static final double EPS = 0x1p-24;
    private static WorkPool pool;

    @BeforeAll
    static void setUp() {
        pool = WorkPool.create(3);
    }

    @AfterAll
    static void tearDown() {
        pool.close();
    }

    private static double c(int d) {
        return 4 + Math.sqrt(d);
    }

    static Stream<Arguments> shapes() {
        return Stream.of(1L, 7L, 1000L).flatMap(k -> Stream.of(1, 3, 16, 17, 33, 100)
                .flatMap(d -> Stream.of(false, true).map(strided -> Arguments.of(k, d, strided))));
    }

    private static SplittableRandom random(long k, int d, boolean strided) {
        return new SplittableRandom(k * 1000 + d * 2 + (strided ? 1 : 0));
    }

    @ParameterizedTest(name = "{0} x {1}, strided {2}")
    @MethodSource("shapes")
    void projectionMatchesTheReferenceInPlaceOrNot(long k, int d, boolean strided) {
        SplittableRandom random = random(k, d, strided);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, k, d, true, strided, random);
            FloatMatrix u = SphereTestData.random(arena, k, d, false, strided, random);
            FloatMatrix out = SphereTestData.random(arena, k, d, false, strided, random);
            Oblique oblique = Oblique.normalising(pool);
            oblique.proj(x, u, out);
            for (long i = 0; i < k; i++) {
                double[] ui = row(u, i);
                double error = SphereTestData.maxError(out, i, SphereReference.proj(row(x, i), ui));
                assertTrue(error <= c(d) * EPS * Math.max(1, SphereReference.norm(ui)), "row " + i + " error " + error);
            }
            oblique.proj(x, u, u);
            assertTrue(SphereTestData.bitwiseEqual(out, u), "in place gives the same bits");
        }
    }

    @ParameterizedTest(name = "{0} x {1}, strided {2}")
    @MethodSource("shapes")
    void retractionsAndExponentialMapMatchTheReference(long k, int d, boolean strided) {
        SplittableRandom random = random(k, d, strided);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix x = SphereTestData.random(arena, k, d, true, strided, random);
            FloatMatrix u = tangent(arena, x, strided, random);
            double t = random.nextDouble(-2, 2);
            FloatMatrix normalised = FloatMatrix.allocate(arena, k, d), exp = FloatMatrix.allocate(arena, k, d);
            FloatMatrix viaRetr = FloatMatrix.allocate(arena, k, d);
            Oblique.normalising(pool).retr(x, u, t, normalised);
            Oblique.normalising(pool).expmap(x, u, t, exp);
            Oblique.exponential(pool).retr(x, u, t, viaRetr);
            for (long i = 0; i < k; i++) {
                double[] xi = row(x, i), ui = row(u, i);
                double angle = Math.abs(t) * SphereReference.norm(ui);
                double retrError = SphereTestData.maxError(normalised, i, SphereReference.retrNormalising(xi, ui, t));
                double expError = SphereTestData.maxError(exp, i, SphereReference.expmap(xi, ui, t));
                assertTrue(retrError <= c(d) * EPS, "normalising retraction, row " + i + " error " + retrError);
                assertTrue(expError <= c(d) * EPS * (1 + angle), "exponential map, row " + i + " error " + expError);
            }
            assertTrue(SphereTestData.bitwiseEqual(exp, viaRetr), "the exponential manifold retracts by expmap");
            Oblique.normalising(pool).retr(x, u, t, x);
            assertTrue(SphereTestData.bitwiseEqual(normalised, x), "in place gives the same bits");
        }
    }

    @ParameterizedTest(name = "{0} x {1}, strided {2}")
    @MethodSource("shapes")
    void transportDistanceAndInnerProductMatchTheReference(long k, int d, boolean strided) {
        SplittableRandom random = random(k, d, strided);
        try (Arena arena = Arena.ofShared()) {
            Oblique oblique = Oblique.exponential(pool);
            FloatMatrix x = SphereTestData.random(arena, k, d, true, strided, random);
            FloatMatrix y = SphereTestData.random(arena, k, d, true, strided, random);
            FloatMatrix v = tangent(arena, x, strided, random);
            FloatMatrix moved = FloatMatrix.allocate(arena, k, d), dist = FloatMatrix.allocate(arena, k, 1);
            oblique.transp(x, y, v, moved);
            oblique.dist(x, y, dist);
            double inner = oblique.inner(x, v, moved), expectedInner = 0, innerScale = 0;
            for (long i = 0; i < k; i++) {
                double[] xi = row(x, i), yi = row(y, i), vi = row(v, i);
                double transpError = SphereTestData.maxError(moved, i, SphereReference.proj(yi, vi));
                assertTrue(transpError <= c(d) * EPS * Math.max(1, SphereReference.norm(vi)),
                        "transport, row " + i + " error " + transpError);
                double expected = SphereReference.dist(xi, yi);
                double slope = 1 / Math.max(Math.cos(expected / 2), 1e-3); // of 2 asin(c/2) in the chord c
                assertEquals(expected, dist.get(i, 0), c(d) * EPS * (1 + expected) * slope, "distance, row " + i);
                double[] movedRow = row(moved, i);
                expectedInner += SphereReference.dot(vi, movedRow);
                innerScale += SphereReference.norm(vi) * SphereReference.norm(movedRow);
            }
            assertEquals(expectedInner, inner, c(d) * EPS * innerScale, "inner product");
        }
    }

    @ParameterizedTest(name = "{0} x {1}, strided {2}")
    @MethodSource("shapes")
    void normalisationAndTheOnSphereCheckMatchTheReference(long k, int d, boolean strided) {
        SplittableRandom random = random(k, d, strided);
        try (Arena arena = Arena.ofShared()) {
            Oblique oblique = Oblique.normalising(pool);
            FloatMatrix x = SphereTestData.random(arena, k, d, false, strided, random);
            FloatMatrix out = FloatMatrix.allocate(arena, k, d);
            oblique.projx(x, out);
            double worst = -1;
            for (long i = 0; i < k; i++) {
                double[] xi = row(x, i);
                double error = SphereTestData.maxError(out, i, SphereReference.normalise(xi));
                assertTrue(error <= c(d) * EPS, "row " + i + " error " + error);
                worst = Math.max(worst, SphereReference.deviation(xi));
            }
            OnSphereCheck check = oblique.check(x, 0.5);
            double tolerance = c(d) * EPS * (1 + worst);
            assertEquals(worst, check.deviation(), tolerance, "worst deviation");
            assertEquals(worst, SphereReference.deviation(row(x, check.worstRow())), 2 * tolerance, "worst row");
            assertEquals(worst <= 0.5, check.onSphere());
            assertTrue(oblique.check(out, c(d) * EPS).onSphere(), "normalised rows: " + oblique.check(out, 0));
        }
    }

    /** Random tangent vectors at x: Gaussian, projected in float64, of norm about 1. */
    private static FloatMatrix tangent(Arena arena, FloatMatrix x, boolean strided, SplittableRandom random) {
        FloatMatrix u = SphereTestData.random(arena, x.rows(), x.cols(), false, strided, random);
        for (long i = 0; i < x.rows(); i++) {
            double[] p = SphereReference.proj(row(x, i), row(u, i));
            SphereTestData.set(u, i, SphereReference.combine(1 / Math.sqrt(x.cols()), p, 0, p));
        }
        return u;
    }
}
