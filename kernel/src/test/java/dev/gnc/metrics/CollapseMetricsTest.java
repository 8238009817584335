package dev.gnc.metrics;

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

/**
 * The five metrics against {@link CollapseReference}. Tolerances: GNC1 1e-9 relative and GNC3
 * 1e-12 absolute (float64 on both sides, only the order of sums differs); the accuracies exactly,
 * except for samples whose own class is within 1e-5 (relative) of the best other class, which
 * float32 logits may rank either way.
 */
class CollapseMetricsTest {
    /** {N, K, d}: d = 1, K = 2, K <= d (Sigma_B rank-deficient) and K > d, odd widths, K past one class tile (512). */
    private static final int[][] SHAPES = {{30, 2, 1}, {50, 5, 1}, {60, 2, 7}, {200, 7, 13}, {301, 17, 5},
            {150, 9, 33}, {1500, 700, 9}};

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
    void gnc1MatchesTheReference() {
        SplittableRandom random = new SplittableRandom(31);
        for (int[] shape : SHAPES) {
            CollapseData data = CollapseData.clustered(shape[0], shape[1], shape[2], 0.3, 0.4, random);
            double expected = referenceGnc1(data, CollapseReference.within(data.h(), data.y(), data.means(), data.d()));
            for (WorkPool pool : new WorkPool[] {one, three}) {
                try (Arena arena = Arena.ofShared()) {
                    CollapseMetrics m = CollapseMetrics.compute(randomClassifier(arena, data, random),
                            data.features(arena), data.labels(arena), pool);
                    assertEquals(expected, m.gnc1(), 1e-9 * expected, describe(shape, pool));
                }
            }
        }
    }

    @Test
    void bothEigensolversGiveTheSameGnc1() {
        CollapseData data = CollapseData.clustered(400, 12, 20, 0, 0.5, new SplittableRandom(32));
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = randomClassifier(arena, data, new SplittableRandom(33));
            FloatMatrix h = data.features(arena);
            Labels y = data.labels(arena);
            ClassStatistics stats = ClassStatistics.compute(h, y, data.k(), three, arena);
            double preferred = CollapseMetrics.compute(w, h, y, stats, three, SymmetricEigensolver.preferred()).gnc1();
            double jacobi = CollapseMetrics.compute(w, h, y, stats, three, new JacobiEigensolver()).gnc1();
            assertEquals(preferred, jacobi, 1e-12 * preferred);
        }
    }

    @Test
    void twoClassesFollowTheClosedForm() {
        // mu_1 - mu_G = (n_2 / N) delta and mu_2 - mu_G = -(n_1 / N) delta with delta = mu_1 - mu_2, so
        // Sigma_B = alpha delta delta^T, alpha = (n_1^2 + n_2^2) / (2 N^2), and
        // GNC1 = delta^T Sigma_W delta / (2 alpha ||delta||^4)
        CollapseData data = CollapseData.clustered(70, 2, 5, 0.2, 0.6, new SplittableRandom(34));
        double[][] mu = data.means();
        double[] within = CollapseReference.within(data.h(), data.y(), mu, data.d());
        long[] n = CollapseReference.counts(data.y(), 2);
        assertTrue(n[0] != n[1], "unequal classes: " + n[0] + ", " + n[1]);
        int d = data.d();
        double[] delta = new double[d];
        double norm2 = 0;
        for (int p = 0; p < d; p++) {
            delta[p] = mu[0][p] - mu[1][p];
            norm2 += delta[p] * delta[p];
        }
        double form = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                form += delta[p] * within[p * d + q] * delta[q];
            }
        }
        double alpha = (double) (n[0] * n[0] + n[1] * n[1]) / (2.0 * data.n() * data.n());
        double expected = form / (2 * alpha * norm2 * norm2);
        try (Arena arena = Arena.ofShared()) {
            CollapseMetrics m = CollapseMetrics.compute(randomClassifier(arena, data, new SplittableRandom(35)),
                    data.features(arena), data.labels(arena), one);
            assertEquals(expected, m.gnc1(), 1e-10 * expected);
        }
    }

    @Test
    void stronglyCollapsedFeaturesKeepTheirGnc1() {
        // features = unit class centre + 3e-5 uniform noise: GNC1 ~ 5e-9. The textbook one-pass scatter
        // loses log10(||h||^2 / spread^2) digits: at the origin its GNC1 is still off by only 3e-7, but
        // 100 per coordinate away by 0.16, and this test notices (ours: 1e-15 in both).
        for (double offset : new double[] {0, 100}) {
            CollapseData data = CollapseData.clustered(2000, 10, 13, offset, 3e-5, new SplittableRandom(36));
            double expected = referenceGnc1(data, CollapseReference.within(data.h(), data.y(), data.means(), data.d()));
            assertTrue(expected > 1e-9 && expected < 1e-7, "collapsed as intended: " + expected);
            try (Arena arena = Arena.ofShared()) {
                CollapseMetrics m = CollapseMetrics.compute(randomClassifier(arena, data, new SplittableRandom(37)),
                        data.features(arena), data.labels(arena), three);
                assertEquals(expected, m.gnc1(), 1e-6 * expected, "offset " + offset);
            }
            if (offset > 0) {
                double naive = referenceGnc1(data,
                        CollapseReference.naiveWithin(data.h(), data.y(), data.k(), data.d()));
                assertTrue(Math.abs(naive / expected - 1) > 1e-3, "the textbook formula misses: " + naive / expected);
            }
        }
    }

    @Test
    void coincidingClassMeansGiveGnc1ZeroByTheConvention() {
        // Sigma_B = 0, whose pseudo-inverse is 0: GNC1 = 0 although nothing has collapsed
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = FloatMatrix.of(arena, 4, 2, new float[] {1, 0, -1, 0, 0, 1, 0, -1});
            FloatMatrix w = FloatMatrix.of(arena, 2, 2, new float[] {1, 0, 0, 1});
            CollapseMetrics m = CollapseMetrics.compute(w, h, Labels.of(arena, 0, 0, 1, 1), one);
            assertEquals(0, m.gnc1());
            assertEquals(1, m.gnc3(), "both centred means are zero vectors");
        }
    }

    @Test
    void thresholdIsDTimes2ToTheMinus48TimesTheLargestEigenvalue() {
        assertEquals(3 * 0x1p-48 * 2, VariabilityCollapse.threshold(new double[] {-1e-20, 1e-17, 2}));
        assertEquals(2 * 0x1p-48 * 4, VariabilityCollapse.threshold(new double[] {-4, 1}));
        assertEquals(0, VariabilityCollapse.threshold(new double[] {0, 0}));
    }

    @Test
    void gnc3IsExactlyZeroForAlignedClassifiers() {
        // two samples per class at centre +- e, all dyadic, so every mean is exact and mu_G = (2, 1, 0)
        float[][] centres = {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {-1, -1, -1}};
        float[] offset = {2, 1, 0}, e = {0.125f, -0.25f, 0.5f};
        int k = 4, d = 3;
        float[] h = new float[2 * k * d];
        int[] y = new int[2 * k];
        float[] centred = new float[k * d], uncentred = new float[k * d];
        for (int c = 0; c < k; c++) {
            for (int s = 0; s < 2; s++) {
                y[2 * c + s] = c;
                for (int p = 0; p < d; p++) {
                    h[(2 * c + s) * d + p] = centres[c][p] + offset[p] + (s == 0 ? e[p] : -e[p]);
                }
            }
            for (int p = 0; p < d; p++) {
                centred[c * d + p] = 2 * centres[c][p];           // parallel to mu_k - mu_G
                uncentred[c * d + p] = centres[c][p] + offset[p]; // equal to mu_k
            }
        }
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix features = FloatMatrix.of(arena, 2 * k, d, h);
            Labels labels = Labels.of(arena, y);
            CollapseMetrics aligned = CollapseMetrics.compute(FloatMatrix.of(arena, k, d, centred), features, labels,
                    one);
            assertEquals(0.0, aligned.gnc3());
            assertTrue(aligned.gnc3Uncentred() > 0.1, "the offset shows uncentred: " + aligned.gnc3Uncentred());
            CollapseMetrics toMeans = CollapseMetrics.compute(FloatMatrix.of(arena, k, d, uncentred), features, labels,
                    three);
            assertEquals(0.0, toMeans.gnc3Uncentred());
            assertTrue(toMeans.gnc3() > 0.1, "the offset shows centred: " + toMeans.gnc3());
        }
    }

    @Test
    void gnc3MatchesTheReference() {
        SplittableRandom random = new SplittableRandom(38);
        for (int[] shape : SHAPES) {
            CollapseData data = CollapseData.clustered(shape[0], shape[1], shape[2], 0.3, 0.4, random);
            try (Arena arena = Arena.ofShared()) {
                FloatMatrix w = randomClassifier(arena, data, random);
                float[] wHeap = w.toArray();
                double[][] mu = data.means();
                CollapseMetrics m = CollapseMetrics.compute(w, data.features(arena), data.labels(arena), three);
                assertEquals(CollapseReference.gnc3(wHeap, CollapseReference.centred(mu, data.globalMean())), m.gnc3(),
                        1e-12, describe(shape, three));
                assertEquals(CollapseReference.gnc3(wHeap, mu), m.gnc3Uncentred(), 1e-12, describe(shape, three));
            }
        }
    }

    @Test
    void zeroVectorsHaveCosineZero() {
        // means (1, 0), (-1, 0), (0, 0), balanced, so mu_G = 0 and class 2's centred mean is zero;
        // w_0 aligned (adds 0), w_1 zero (adds 1), w_2 against a zero mean (adds 1)
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h = FloatMatrix.of(arena, 3, 2, new float[] {1, 0, -1, 0, 0, 0});
            FloatMatrix w = FloatMatrix.of(arena, 3, 2, new float[] {3, 0, 0, 0, 0, 1});
            CollapseMetrics m = CollapseMetrics.compute(w, h, Labels.of(arena, 0, 1, 2), one);
            assertEquals(2.0 / 3, m.gnc3());
            assertEquals(2.0 / 3, m.gnc3Uncentred());
        }
    }

    @Test
    void accuraciesMatchBruteForceArgmax() {
        SplittableRandom random = new SplittableRandom(39);
        for (int[] shape : SHAPES) {
            // uniform features score near chance; clustered ones mostly but not always right
            for (CollapseData data : new CollapseData[] {CollapseData.uniform(shape[0], shape[1], shape[2], random),
                    CollapseData.clustered(shape[0], shape[1], shape[2], 0.5, 0.7, random)}) {
                try (Arena arena = Arena.ofShared()) {
                    FloatMatrix w = randomClassifier(arena, data, random);
                    for (WorkPool pool : new WorkPool[] {one, three}) {
                        CollapseMetrics m = CollapseMetrics.compute(w, data.features(arena), data.labels(arena), pool);
                        assertAccuracy(classifierHits(data, w.toArray()), m.accuracy(), data, describe(shape, pool));
                        assertAccuracy(nearestMeanHits(data), m.nccAccuracy(), data, "NCC " + describe(shape, pool));
                    }
                }
            }
        }
    }

    @Test
    void separatedClustersAreClassifiedPerfectlyByTheirMeans() {
        // NCC is the Bayes rule here. 1000 per coordinate from the origin, the uncentred float32 logits
        // <h, mu_k> - ||mu_k||^2 / 2 are ~1.6e7 with rounding ~1, the size of the gaps: they scored 0.036
        CollapseData data = CollapseData.clustered(500, 40, 16, 1000, 0.01, new SplittableRandom(40));
        try (Arena arena = Arena.ofShared()) {
            CollapseMetrics m = CollapseMetrics.compute(randomClassifier(arena, data, new SplittableRandom(41)),
                    data.features(arena), data.labels(arena), three);
            assertEquals(1.0, m.nccAccuracy());
        }
    }

    @Test
    void twoRunsAreBitwiseEqual() {
        CollapseData data = CollapseData.clustered(700, 23, 10, 0.1, 0.5, new SplittableRandom(42));
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = randomClassifier(arena, data, new SplittableRandom(43));
            FloatMatrix h = data.features(arena);
            Labels y = data.labels(arena);
            assertEquals(CollapseMetrics.compute(w, h, y, three), CollapseMetrics.compute(w, h, y, three));
        }
    }

    @Test
    void badInputsAreNamedBeforeAnyWork() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = FloatMatrix.allocate(arena, 3, 4);
            FloatMatrix h = FloatMatrix.allocate(arena, 5, 4);
            Labels y = Labels.of(arena, 0, 1, 2, 0, 1);
            var width = assertThrows(IllegalArgumentException.class,
                    () -> CollapseMetrics.compute(w, FloatMatrix.allocate(arena, 5, 3), y, one));
            assertTrue(width.getMessage().contains("dimensions differ"), width.getMessage());
            var label = assertThrows(IllegalArgumentException.class,
                    () -> CollapseMetrics.compute(w, h, Labels.of(arena, 0, 1, 2, 3, 1), one));
            assertTrue(label.getMessage().contains("y[3] = 3"), label.getMessage());
            var length = assertThrows(IllegalArgumentException.class,
                    () -> CollapseMetrics.compute(w, h, Labels.of(arena, 0, 1, 2), one));
            assertTrue(length.getMessage().contains("3 labels for 5 feature rows"), length.getMessage());
            FloatMatrix nan = FloatMatrix.allocate(arena, 3, 4);
            nan.set(1, 2, Float.NaN);
            var finite = assertThrows(IllegalArgumentException.class, () -> CollapseMetrics.compute(nan, h, y, one));
            assertTrue(finite.getMessage().contains("classifier W") && finite.getMessage().contains("(1, 2)"),
                    finite.getMessage());
            ClassStatistics twoClasses = ClassStatistics.compute(h, Labels.of(arena, 0, 1, 1, 0, 1), 2, one, arena);
            var stats = assertThrows(IllegalArgumentException.class,
                    () -> CollapseMetrics.compute(w, h, y, twoClasses, one, new JacobiEigensolver()));
            assertTrue(stats.getMessage().contains("K = 2"), stats.getMessage());
        }
    }

    /** GNC1 of the reference means with {@code within} as Sigma_W; Sigma_B has rank min(K - 1, d). */
    private static double referenceGnc1(CollapseData data, double[] within) {
        double[] between = CollapseReference.between(data.means(), data.globalMean());
        return CollapseReference.gnc1(within, between, data.d(), data.k(), Math.min(data.k() - 1, data.d()));
    }

    /** Entries uniform in [-1, 1]; not unit rows, which for d = 1 would tie every logit with another. */
    private static FloatMatrix randomClassifier(Arena arena, CollapseData data, SplittableRandom random) {
        FloatMatrix w = FloatMatrix.allocate(arena, data.k(), data.d());
        for (int c = 0; c < data.k(); c++) {
            for (int p = 0; p < data.d(); p++) {
                w.set(c, p, (float) random.nextDouble(-1, 1));
            }
        }
        return w;
    }

    private static long[] classifierHits(CollapseData data, float[] w) {
        int d = data.d();
        double[] wNorm = new double[data.k()];
        double maxW = 0;
        for (int c = 0; c < data.k(); c++) {
            for (int p = 0; p < d; p++) {
                wNorm[c] += (double) w[c * d + p] * w[c * d + p];
            }
            maxW = Math.max(maxW, Math.sqrt(wNorm[c]));
        }
        double scaleW = maxW;
        return CollapseReference.hitsAndNearTies(data.n(), data.k(), data.y(), (i, c) -> {
            double dot = 0;
            for (int p = 0; p < d; p++) {
                dot += (double) data.h()[i * d + p] * w[c * d + p];
            }
            return dot;
        }, i -> 1e-5 * norm(data, i) * scaleW);
    }

    private static long[] nearestMeanHits(CollapseData data) {
        int d = data.d();
        double[][] mu = data.means();
        double maxMu = 0;
        for (double[] m : mu) {
            double n2 = 0;
            for (double x : m) {
                n2 += x * x;
            }
            maxMu = Math.max(maxMu, Math.sqrt(n2));
        }
        double scaleMu = maxMu;
        return CollapseReference.hitsAndNearTies(data.n(), data.k(), data.y(), (i, c) -> {
            double dist2 = 0;
            for (int p = 0; p < d; p++) {
                double x = data.h()[i * d + p] - mu[c][p];
                dist2 += x * x;
            }
            return -dist2 / 2;
        }, i -> 1e-5 * (norm(data, i) + scaleMu) * scaleMu);
    }

    private static double norm(CollapseData data, int i) {
        double n2 = 0;
        for (int p = 0; p < data.d(); p++) {
            n2 += (double) data.h()[i * data.d() + p] * data.h()[i * data.d() + p];
        }
        return Math.sqrt(n2);
    }

    /** The kernel's count may differ from brute force only on near ties, and those must be rare. */
    private static void assertAccuracy(long[] hitsAndNearTies, double accuracy, CollapseData data, String what) {
        long hits = Math.round(accuracy * data.n());
        assertEquals(accuracy, (double) hits / data.n(), 1e-12, what + ": a whole number of hits");
        assertTrue(hitsAndNearTies[1] <= data.n() / 100 + 1, what + ": too many near ties to be sharp: "
                + hitsAndNearTies[1]);
        assertEquals(hitsAndNearTies[0], hits, hitsAndNearTies[1], what + ": hits");
    }

    private static String describe(int[] shape, WorkPool pool) {
        return shape[0] + " x " + shape[1] + " x " + shape[2] + ", " + pool;
    }
}
