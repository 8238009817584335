package dev.gnc.ufm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.metrics.WilsonInterval;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainingMeasurementTest {
    private static WorkPool pool;

    @BeforeAll
    static void start() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    /**
     * A sampled measurement keeps GNC1, GNC3 and the margin whole (equal to the unsampled run's
     * at the same points, bitwise) and takes the accuracy over exactly its fixed sample, checked
     * against a float64 argmax over those rows, with a Wilson interval around it.
     */
    @Test
    void aSampleChangesOnlyTheLossAndTheAccuracies() {
        SphericalUfm ufm = new SphericalUfm(40, 3, 5);
        int sample = 17;
        try (Arena arena = Arena.ofShared()) {
            UfmTraining whole = UfmTraining.builder(ufm, pool).taus(8).stepsPerStage(10).start(arena, 3);
            UfmTraining sampled = UfmTraining.builder(ufm, pool).taus(8).stepsPerStage(10).measureSample(sample)
                    .start(arena, 3);
            for (int s = 0; s < 4; s++) {
                whole.step();
                sampled.step();
            }
            TrainingRecord all = whole.measure(0), some = sampled.measure(0);
            assertFalse(all.sampled());
            assertEquals(ufm.features(), all.sample());
            assertEquals(all.accuracy(), all.accuracyLow());
            assertTrue(some.sampled());
            assertEquals(sample, some.sample());
            assertEquals(all.gnc1(), some.gnc1());
            assertEquals(all.gnc3(), some.gnc3());
            assertEquals(all.gnc3Uncentred(), some.gnc3Uncentred());
            assertEquals(all.margin(), some.margin());
            assertTrue(Double.isNaN(some.gradientNorm()) && !Double.isNaN(all.gradientNorm()));

            int[] rows = new BatchSampler(0, ufm.features(), sample).rows(0);
            FloatMatrix w = sampled.classifier(), h = sampled.features();
            int hits = 0;
            for (int row : rows) {
                int best = 0;
                double bestLogit = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < ufm.classes(); k++) {
                    double logit = 0;
                    for (int p = 0; p < ufm.dim(); p++) {
                        logit += (double) h.get(row, p) * w.get(k, p);
                    }
                    if (logit > bestLogit) {
                        best = k;
                        bestLogit = logit;
                    }
                }
                hits += best == row / ufm.perClass() ? 1 : 0;
            }
            assertEquals((double) hits / sample, some.accuracy(), 1e-12);
            WilsonInterval expected = WilsonInterval.of(some.accuracy(), sample);
            assertEquals(expected.low(), some.accuracyLow());
            assertEquals(expected.high(), some.accuracyHigh());
            assertTrue(some.nccLow() <= some.nccAccuracy() && some.nccAccuracy() <= some.nccHigh());
        }
    }

    /** With one feature per class there is no within-class scatter: GNC1 is NaN, not 0; GNC3 is measured. */
    @Test
    void gnc1IsUndefinedWithOneFeaturePerClass() {
        try (Arena arena = Arena.ofShared()) {
            for (UfmVariant variant : new UfmVariant[] {UfmVariant.JOINT, UfmVariant.TIED}) {
                TrainingRecord r = UfmTraining.builder(new SphericalUfm(9, 1, 3), pool).variant(variant)
                        .start(arena, 1).measure(0);
                assertTrue(Double.isNaN(r.gnc1()), variant + ": " + r.gnc1());
                assertEquals(TrainingRecord.UNDEFINED, r.values()[java.util.Arrays.asList(TrainingRecord.COLUMNS)
                        .indexOf("gnc1")]);
                assertTrue(r.gnc3() >= 0 && r.gnc3() <= 2, variant + ": " + r.gnc3());
            }
        }
    }

    @Test
    void aRecordSurvivesItsTextRow() {
        try (Arena arena = Arena.ofShared()) {
            TrainingRecord r = UfmTraining.builder(new SphericalUfm(6, 1, 3), pool).measureSample(4).start(arena, 1)
                    .measure(2.5);
            String[] cells = java.util.Arrays.stream(r.values())
                    .map(v -> v instanceof Double d && Double.isNaN(d) ? "" : v.toString()).toArray(String[]::new);
            assertEquals(r, TrainingRecord.parse(cells));
        }
    }

    @Test
    void aSampleLargerThanTheFeaturesIsRefused() {
        try (Arena arena = Arena.ofShared()) {
            var e = assertThrows(IllegalArgumentException.class, () -> UfmTraining.builder(new SphericalUfm(5, 2, 3),
                    pool).measureSample(11).start(arena, 1));
            assertTrue(e.getMessage().contains("11") && e.getMessage().contains("10 features"), e.getMessage());
        }
        assertTrue(assertThrows(IllegalArgumentException.class, () -> UfmTraining.builder(new SphericalUfm(5, 2, 3),
                pool).measureSample(-1)).getMessage().contains("-1"));
    }

    /**
     * The default sample: every feature for full batch at the default cadence and for small
     * problems; a tenth of the steps between logs for mini-batches at extreme K, never below 1024.
     */
    @Test
    void theDefaultSampleKeepsALogNearATenthOfTheSteps() {
        assertEquals(200_000, UfmTraining.measureSampleFor(100_000, 16, 200_000, 0, 25));
        assertEquals(15_360, UfmTraining.measureSampleFor(1_000_000, 64, 2_000_000, 4096, 25));
        assertEquals(1024, UfmTraining.measureSampleFor(1_000_000, 64, 2_000_000, 64, 10));
        assertEquals(600, UfmTraining.measureSampleFor(300, 4, 600, 16, 1), "K N d = 7e5: a whole log is cheap");
        assertEquals(30_000, UfmTraining.measureSampleFor(100_000, 16, 200_000, 0, 1), "log every step");
    }

    /** A run that logs the bound ends with the certified margin, and reports every class certified. */
    @Test
    void theLastMeasurementCertifiesTheMargin() {
        try (Arena arena = Arena.ofShared()) {
            UfmTraining run = UfmTraining.builder(new SphericalUfm(11, 2, 3), pool).margin(MarginMode.BOUND)
                    .start(arena, 4);
            TrainingRecord log = run.measure(0);
            java.util.concurrent.atomic.AtomicLong certified = new java.util.concurrent.atomic.AtomicLong();
            TrainingRecord last = run.measureFinal(0, certified::addAndGet);
            assertFalse(log.marginExact());
            assertTrue(last.marginExact());
            assertEquals(11, certified.get());
            assertTrue(last.margin() >= log.margin() - 1e-12, "the bound lies below the exact margin");
            assertTrue(last.marginSeconds() >= 0);
        }
    }

    @Test
    void theMarginIsExactAtTheEndUpToAMillionClasses() {
        assertEquals(MarginMode.EXACT, MarginMode.AUTO.atLog(UfmTraining.EXACT_MARGIN_CLASSES));
        assertEquals(MarginMode.BOUND, MarginMode.AUTO.atLog(UfmTraining.EXACT_MARGIN_CLASSES + 1));
        assertEquals(MarginMode.EXACT, MarginMode.AUTO.atEnd(UfmTraining.FINAL_EXACT_MARGIN_CLASSES));
        assertEquals(MarginMode.BOUND, MarginMode.AUTO.atEnd(UfmTraining.FINAL_EXACT_MARGIN_CLASSES + 1));
        assertEquals(MarginMode.EXACT, MarginMode.BOUND.atEnd(100_000));
        assertEquals(MarginMode.BOUND, MarginMode.BOUND.atLog(100));
        assertEquals(MarginMode.EXACT, MarginMode.EXACT.atEnd(10_000_000));
        assertEquals(MarginMode.NONE, MarginMode.NONE.atEnd(10));
    }
}
