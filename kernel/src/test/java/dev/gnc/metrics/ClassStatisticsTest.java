package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The one-pass statistics against the two-pass float64 reference. Tolerance: 1e-12 of the largest
 * entry of each quantity, for data in [-2, 2]; what differs is only the order of float64 sums.
 */
class ClassStatisticsTest {
    /** {N, K, d}: d = 1, K = 2, K above and below d, d not a multiple of any vector width. */
    private static final int[][] SHAPES = {{9, 2, 1}, {40, 2, 13}, {57, 5, 1}, {200, 7, 5}, {301, 17, 33},
            {123, 31, 8}, {64, 3, 70}};

    private static WorkPool one;
    private static WorkPool three;

    @BeforeAll
    static void setUp() {
        one = WorkPool.create(1);
        three = WorkPool.create(3);
    }

    @AfterAll
    static void tearDown() {
        one.close();
        three.close();
    }

    @Test
    void matchTheTwoPassReference() {
        SplittableRandom random = new SplittableRandom(21);
        for (int[] shape : SHAPES) {
            CollapseData data = CollapseData.clustered(shape[0], shape[1], shape[2], 0.5, 0.3, random);
            for (WorkPool pool : new WorkPool[] {one, three}) {
                try (Arena arena = Arena.ofShared()) {
                    ClassStatistics s = ClassStatistics.compute(data.features(arena), data.labels(arena), data.k(),
                            pool, arena);
                    assertMatchesReference(data, s, 1e-12,
                            shape[0] + " x " + shape[1] + " x " + shape[2] + ", " + pool);
                }
            }
        }
    }

    @Test
    void stridedFeaturesAreRead() {
        SplittableRandom random = new SplittableRandom(22);
        CollapseData data = CollapseData.clustered(50, 4, 6, 0, 1, random);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix wide = FloatMatrix.allocate(arena, data.n(), data.d() + 3);
            wide.fill(Float.NaN); // the columns outside the view must not be read
            FloatMatrix h = wide.block(0, 2, data.n(), data.d());
            h.copyFrom(data.features(arena));
            ClassStatistics s = ClassStatistics.compute(h, data.labels(arena), data.k(), three, arena);
            assertMatchesReference(data, s, 1e-12, "ld " + h.ld());
        }
    }

    @Test
    void twoRunsAreBitwiseEqual() {
        CollapseData data = CollapseData.clustered(999, 13, 11, 0.2, 0.1, new SplittableRandom(23));
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = data.features(arena);
            Labels y = data.labels(arena);
            ClassStatistics a = ClassStatistics.compute(h, y, data.k(), three, arena);
            ClassStatistics b = ClassStatistics.compute(h, y, data.k(), three, arena);
            assertArrayEquals(a.means().toArray(ValueLayout.JAVA_DOUBLE), b.means().toArray(ValueLayout.JAVA_DOUBLE));
            assertArrayEquals(a.globalMean(), b.globalMean());
            assertArrayEquals(a.withinClassScatter(), b.withinClassScatter());
            assertArrayEquals(a.betweenClassScatter(), b.betweenClassScatter());
        }
    }

    @Test
    void balancedClassesHaveTheMeanOfMeansAsGlobalMean() {
        int k = 6, perClass = 20, d = 7;
        CollapseData shape = CollapseData.clustered(k * perClass, k, d, 0.1, 0.5, new SplittableRandom(24));
        int[] y = new int[k * perClass];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % k;
        }
        CollapseData data = new CollapseData(shape.n(), k, d, shape.h(), y);
        try (Arena arena = Arena.ofShared()) {
            ClassStatistics s = ClassStatistics.compute(data.features(arena), data.labels(arena), k, three, arena);
            double[] meanOfMeans = new double[d];
            for (int c = 0; c < k; c++) {
                assertEquals(perClass, s.count(c));
                double[] mu = s.mean(c);
                for (int p = 0; p < d; p++) {
                    meanOfMeans[p] += mu[p] / k;
                }
            }
            assertArrayEquals(meanOfMeans, s.globalMean(), 1e-15);
        }
    }

    @Test
    void unbalancedClassesWeighTheGlobalMeanBySamples() {
        // class 0: three samples at 0, class 1: one sample at 4; mean of means 2, global mean 1
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = FloatMatrix.of(arena, 4, 1, new float[] {0, 4, 0, 0});
            ClassStatistics s = ClassStatistics.compute(h, Labels.of(arena, 0, 1, 0, 0), 2, one, arena);
            assertArrayEquals(new double[] {1}, s.globalMean());
            assertArrayEquals(new double[] {4}, s.mean(1));
            assertArrayEquals(new double[] {0}, s.withinClassScatter());
            assertArrayEquals(new double[] {(1 + 9) / 2.0}, s.betweenClassScatter()); // ((0 - 1)^2 + (4 - 1)^2) / K
        }
    }

    @Test
    void collapsedFeaturesFarFromTheOriginKeepTheirScatter() {
        // spread 1e-4 at distance ~360 from the origin (100 per coordinate): sum h h^T - n mu mu^T
        // keeps about 2 of float64's 16 digits
        CollapseData data = CollapseData.clustered(2000, 10, 13, 100, 1e-4, new SplittableRandom(25));
        double[] expected = CollapseReference.within(data.h(), data.y(), data.means(), data.d());
        try (Arena arena = Arena.ofShared()) {
            ClassStatistics s = ClassStatistics.compute(data.features(arena), data.labels(arena), data.k(), three,
                    arena);
            double[] actual = s.withinClassScatter();
            double scale = SymmetricEigensolverTest.maxAbs(expected);
            assertTrue(scale > 1e-10 && scale < 1e-8, "collapsed as intended: " + scale);
            assertArrayEquals(expected, actual, 1e-10 * scale); // measured 2e-14
            double[] naive = CollapseReference.naiveWithin(data.h(), data.y(), data.k(), data.d());
            assertTrue(maxDifference(expected, naive) > 1e-3 * scale, "the naive formula fails here (measured 1e-2)");
        }
    }

    @Test
    void badLabelsAreNamedWithTheirPosition() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = FloatMatrix.allocate(arena, 4, 2);
            var above = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, Labels.of(arena, 0, 1, 2, 1), 2, one, arena));
            assertTrue(above.getMessage().contains("y[2] = 2") && above.getMessage().contains("[0, 2)"),
                    above.getMessage());
            var negative = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, Labels.of(arena, 0, -1, 1, 1), 2, one, arena));
            assertTrue(negative.getMessage().contains("y[1] = -1"), negative.getMessage());
            var empty = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, Labels.of(arena, 0, 2, 0, 2), 3, one, arena));
            assertTrue(empty.getMessage().contains("class 1 has no samples"), empty.getMessage());
            var length = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, Labels.of(arena, 0, 1, 0), 2, one, arena));
            assertTrue(length.getMessage().contains("3 labels for 4 feature rows"), length.getMessage());
        }
    }

    @Test
    void badFeaturesAreNamed() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = FloatMatrix.allocate(arena, 3, 2);
            h.set(2, 1, Float.POSITIVE_INFINITY);
            Labels y = Labels.of(arena, 0, 1, 0);
            var infinite = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, y, 2, one, arena));
            assertTrue(infinite.getMessage().contains("(2, 1)"), infinite.getMessage());
        }
        try (Arena confined = Arena.ofConfined()) {
            FloatMatrix h = FloatMatrix.allocate(confined, 2, 2);
            Labels y = Labels.of(confined, 0, 1);
            var shared = assertThrows(IllegalArgumentException.class,
                    () -> ClassStatistics.compute(h, y, 2, three, confined));
            assertTrue(shared.getMessage().contains("confined"), shared.getMessage());
            assertEquals(2, ClassStatistics.compute(h, y, 2, one, confined).classes(), "one thread may use it");
        }
    }

    static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    /** Counts exactly; means, global mean and both scatters to {@code tolerance} of their largest entry. */
    static void assertMatchesReference(CollapseData data, ClassStatistics s, double tolerance, String what) {
        int k = data.k(), d = data.d();
        double[][] mu = data.means();
        double[] global = data.globalMean();
        long[] counts = CollapseReference.counts(data.y(), k);
        double meanScale = 0;
        for (double[] m : mu) {
            meanScale = Math.max(meanScale, SymmetricEigensolverTest.maxAbs(m));
        }
        for (int c = 0; c < k; c++) {
            assertEquals(counts[c], s.count(c), what + ": count " + c);
            assertArrayEquals(mu[c], s.mean(c), tolerance * meanScale, what + ": mean " + c);
        }
        assertArrayEquals(global, s.globalMean(), tolerance * meanScale, what + ": global mean");
        double[] within = CollapseReference.within(data.h(), data.y(), mu, d);
        double[] between = CollapseReference.between(mu, global);
        assertArrayEquals(within, s.withinClassScatter(), tolerance * SymmetricEigensolverTest.maxAbs(within),
                what + ": Sigma_W");
        assertArrayEquals(between, s.betweenClassScatter(), tolerance * SymmetricEigensolverTest.maxAbs(between),
                what + ": Sigma_B");
        assertEquals(data.n(), s.samples());
        assertEquals(d, s.dimensions());
    }
}
