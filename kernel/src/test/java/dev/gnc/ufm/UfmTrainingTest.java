package dev.gnc.ufm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class UfmTrainingTest {
    private static WorkPool pool;

    @BeforeAll
    static void start() {
        pool = WorkPool.create(2);
    }

    @AfterAll
    static void stop() {
        pool.close();
    }

    private static double[][] rows(FloatMatrix m) {
        double[][] out = new double[(int) m.rows()][m.cols()];
        for (int i = 0; i < out.length; i++) {
            for (int c = 0; c < m.cols(); c++) {
                out[i][c] = m.get(i, c);
            }
        }
        return out;
    }

    /**
     * Plain RGD follows X <- normalize(X - lr (G - diag(<G, X>) X)) on W and H from the same point,
     * against the float64 reference, to float32 accuracy over 30 steps (tolerance 1e-5 per entry).
     */
    @Test
    void plainRgdFollowsTheReferenceSemantics() {
        SphericalUfm ufm = new SphericalUfm(5, 2, 3);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w0 = RandomMatrices.unitRows(arena, 5, 3, 11, pool);
            FloatMatrix h0 = RandomMatrices.unitRows(arena, 10, 3, 12, pool);
            UfmTraining run = UfmTraining.builder(ufm, pool).method(TrainingMethod.RGD).learningRate(0.5).taus(10)
                    .stepsPerStage(30).start(arena, w0, h0);
            double[][] w = rows(w0), h = rows(h0);
            for (int s = 0; s < 30; s++) {
                Object[] ref = ReferenceUfm.lossAndGradients(w, h, 2, 10);
                ReferenceUfm.rgdStep(w, (double[][]) ref[1], 0.5);
                ReferenceUfm.rgdStep(h, (double[][]) ref[2], 0.5);
                run.step();
                double[][] gotW = rows(run.classifier()), gotH = rows(run.features());
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(w[i], gotW[i], 1e-5, "W row " + i + " after step " + (s + 1));
                }
                for (int i = 0; i < 10; i++) {
                    assertArrayEquals(h[i], gotH[i], 1e-5, "H row " + i + " after step " + (s + 1));
                }
            }
            double loss = (double) ReferenceUfm.lossAndGradients(w, h, 2, 10)[0];
            assertEquals(loss, run.measure(0).loss(), 1e-5);
        }
    }

    /** The gradient each variant feeds its optimiser: dW and dH, dH alone, or dW + dH when H = W. */
    @Test
    void gradientsOfEveryVariantMatchTheReference() {
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w = RandomMatrices.unitRows(arena, 6, 4, 3, pool);
            FloatMatrix h = RandomMatrices.unitRows(arena, 18, 4, 4, pool);
            SphericalUfm three = new SphericalUfm(6, 3, 4);
            double tau = 7;
            Object[] ref = ReferenceUfm.lossAndGradients(rows(w), rows(h), 3, tau);
            UfmTraining joint = UfmTraining.builder(three, pool).taus(tau).start(arena, w, h);
            assertGradient(joint, (double[][]) ref[1], (double[][]) ref[2], (double) ref[0], tau);

            UfmTraining fixed = UfmTraining.builder(three, pool).variant(UfmVariant.FIXED_CLASSIFIER)
                    .fixedClassifier(w).taus(tau).start(arena, null, h);
            assertGradient(fixed, null, (double[][]) ref[2], (double) ref[0], tau);

            SphericalUfm one = new SphericalUfm(6, 1, 4);
            Object[] tiedRef = ReferenceUfm.lossAndGradients(rows(w), rows(w), 1, tau);
            double[][] sum = (double[][]) tiedRef[1];
            for (int i = 0; i < 6; i++) {
                for (int c = 0; c < 4; c++) {
                    sum[i][c] += ((double[][]) tiedRef[2])[i][c];
                }
            }
            UfmTraining tied = UfmTraining.builder(one, pool).variant(UfmVariant.TIED).taus(tau).start(arena, w, null);
            assertGradient(tied, sum, null, (double) tiedRef[0], tau);
        }
    }

    private static void assertGradient(UfmTraining run, double[][] gw, double[][] gh, double loss, double tau) {
        UfmObjective f = run.objectiveForTest();
        FloatMatrix points = run.pointsForTest();
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix g = FloatMatrix.allocate(arena, points.rows(), points.cols());
            assertEquals(loss, f.valueAndGradient(points, g), 1e-6);
            double[][] got = rows(g);
            int at = 0;
            for (double[][] block : new double[][][] {gw, gh}) {
                if (block == null) {
                    continue;
                }
                for (double[] row : block) {
                    assertArrayEquals(row, got[at++], 1e-5);
                }
            }
            assertEquals(points.rows(), at, "every moving row has a gradient row");
        }
    }

    /**
     * The class-means classifier: each step sets W to the normalised class means of H, then moves
     * H alone (RGD against the float64 reference over 5 steps, 1e-5 per entry).
     */
    @Test
    void classMeansClassifierFollowsTheFeatures() {
        SphericalUfm ufm = new SphericalUfm(4, 3, 3);
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix h0 = RandomMatrices.unitRows(arena, 12, 3, 5, pool);
            UfmTraining run = UfmTraining.builder(ufm, pool).variant(UfmVariant.CLASS_MEANS).method(TrainingMethod.RGD)
                    .learningRate(0.4).taus(6).stepsPerStage(5).start(arena, null, h0);
            double[][] h = rows(h0);
            for (int s = 0; s < 5; s++) {
                double[][] w = new double[4][3];
                for (int k = 0; k < 4; k++) {
                    double sq = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int i = 0; i < 3; i++) {
                            w[k][c] += h[3 * k + i][c];
                        }
                        sq += w[k][c] * w[k][c];
                    }
                    for (int c = 0; c < 3; c++) {
                        w[k][c] = (float) (w[k][c] / Math.sqrt(sq)); // the library keeps W in float32
                    }
                }
                Object[] ref = ReferenceUfm.lossAndGradients(w, h, 3, 6);
                ReferenceUfm.rgdStep(h, (double[][]) ref[2], 0.4);
                run.step();
                double[][] got = rows(run.features());
                for (int i = 0; i < 12; i++) {
                    assertArrayEquals(h[i], got[i], 1e-5, "H row " + i + " after step " + (s + 1));
                }
            }
        }
    }

    /** Collapse happens: the line search with tau continuation drives GNC1 and the loss down, accuracy to 1. */
    @Test
    void lineSearchTrainingCollapsesTheFeatures() {
        SphericalUfm ufm = new SphericalUfm(6, 4, 3);
        try (Arena arena = Arena.ofShared()) {
            UfmTraining run = UfmTraining.builder(ufm, pool).taus(5, 20).stepsPerStage(150).start(arena, 1);
            TrainingRecord first = run.measure(0);
            double previous = Double.POSITIVE_INFINITY;
            while (!run.done()) {
                run.step();
            }
            TrainingRecord last = run.measure(1);
            assertEquals(300, last.step());
            assertEquals(1, last.stage());
            assertEquals(20, last.tau());
            assertEquals(1.0, last.accuracy());
            assertTrue(last.gnc1() < 1e-3 * first.gnc1(), first.gnc1() + " -> " + last.gnc1());
            assertTrue(last.gnc3() < 0.01, "GNC3 " + last.gnc3());
            assertTrue(last.marginExact());
            assertTrue(last.margin() > 1 - last.maxCosine() - 1e-7, "the bound, to the float32 rows' rounding");
            assertTrue(last.margin() > 0.5, "margin " + last.margin());
        }
    }

    /**
     * A stage whose line search can make no more progress ends there, and the next one starts
     * afresh: for 13 classes in R^3 the first stage of 2000 steps converges long before its end,
     * each stall jumps to the next stage's first step, and the first step after it moves (it did
     * not when a trial step shrunk to 0 carried over): the code at each tau differs from the last
     * one's. A run resumed from the stall ends bitwise where the uninterrupted one does.
     */
    @Test
    void aStageThatCannotProgressEndsAndTheNextStartsAfresh() {
        SphericalUfm ufm = new SphericalUfm(13, 1, 3);
        try (Arena arena = Arena.ofShared()) {
            UfmTraining.Builder builder = UfmTraining.builder(ufm, pool).variant(UfmVariant.TIED).taus(5, 20, 60)
                    .stepsPerStage(2000);
            UfmTraining run = builder.start(arena, 2);
            UfmTraining resumed = null;
            int stalls = 0;
            boolean lastStalled = false;
            while (!run.done()) {
                int stage = run.stage();
                boolean stalled = run.step();
                if (stalled) {
                    stalls++;
                    assertFalse(lastStalled, "the step after a stall, at stage " + stage + ", moved nothing");
                    assertEquals((stage + 1) * 2000L, run.steps(), "a stall at stage " + stage);
                    if (resumed == null) { // as --resume from the checkpoint written at the stall
                        resumed = builder.start(arena, run.classifier(), null);
                        resumed.resumeAt(run.steps(), run.trialStep(), run.optimiserState(), run.optimiserSteps());
                    }
                }
                lastStalled = stalled;
            }
            assertTrue(stalls >= 1, "no stage ended early");
            while (!resumed.done()) {
                resumed.step();
            }
            assertArrayEquals(run.classifier().toArray(), resumed.classifier().toArray(), "resumed after the stall");
        }
    }

    /** For K <= d + 1 the softmax code is the simplex: the tied search finds rho = K / (K - 1). */
    @Test
    void tiedSearchFindsTheSimplex() {
        SphericalUfm ufm = new SphericalUfm(4, 1, 3);
        try (Arena arena = Arena.ofShared()) {
            UfmTraining run = UfmTraining.builder(ufm, pool).variant(UfmVariant.TIED).taus(10, 30, 100)
                    .stepsPerStage(200).start(arena, 5);
            while (!run.done()) {
                run.step();
            }
            assertEquals(4.0 / 3, run.measure(0).margin(), 1e-4);
        }
    }

    /** Same seed: bitwise equal runs, for one thread or three; resuming from a copy of the points continues exactly. */
    @Test
    void runsRepeatBitwiseAndResumeExactly() {
        SphericalUfm ufm = new SphericalUfm(7, 2, 5);
        float[][] finals = new float[3][];
        int i = 0;
        for (int threads : new int[] {1, 3}) {
            try (Arena arena = Arena.ofShared(); WorkPool p = WorkPool.create(threads)) {
                UfmTraining run = UfmTraining.builder(ufm, p).taus(3, 9).stepsPerStage(20).start(arena, 42);
                while (!run.done()) {
                    run.step();
                }
                finals[i++] = run.features().toArray();
            }
        }
        assertArrayEquals(finals[0], finals[1]);
        try (Arena arena = Arena.ofShared()) {
            UfmTraining first = UfmTraining.builder(ufm, pool).taus(3, 9).stepsPerStage(20).start(arena, 42);
            for (int s = 0; s < 27; s++) {
                first.step();
            }
            UfmTraining resumed = UfmTraining.builder(ufm, pool).taus(3, 9).stepsPerStage(20)
                    .start(arena, first.classifier(), first.features());
            resumed.resumeAt(first.steps(), first.trialStep(), first.optimiserState(), first.optimiserSteps());
            assertEquals(1, resumed.stage());
            while (!resumed.done()) {
                resumed.step();
            }
            finals[2] = resumed.features().toArray();
        }
        assertArrayEquals(finals[0], finals[2]);
    }

    /** Momentum and Adam resume bitwise from their saved state and step count, full batch and mini-batch. */
    @Test
    void statefulOptimisersResumeExactly() {
        SphericalUfm ufm = new SphericalUfm(6, 2, 4);
        for (TrainingMethod method : new TrainingMethod[] {TrainingMethod.MOMENTUM, TrainingMethod.ADAM}) {
            for (int batch : new int[] {0, 5}) {
                try (Arena arena = Arena.ofShared()) {
                    UfmTraining.Builder b = UfmTraining.builder(ufm, pool).method(method).learningRate(0.05).taus(4, 12)
                            .stepsPerStage(15).batch(batch);
                    UfmTraining whole = b.start(arena, 3);
                    while (!whole.done()) {
                        whole.step();
                    }
                    UfmTraining part = b.start(arena, 3);
                    for (int s = 0; s < 17; s++) {
                        part.step();
                    }
                    UfmTraining resumed = b.start(arena, part.classifier(), part.features());
                    resumed.resumeAt(part.steps(), part.trialStep(), part.optimiserState(), part.optimiserSteps());
                    while (!resumed.done()) {
                        resumed.step();
                    }
                    String what = method + ", batch " + batch;
                    assertArrayEquals(whole.features().toArray(), resumed.features().toArray(), what);
                    assertArrayEquals(whole.classifier().toArray(), resumed.classifier().toArray(), what);
                }
            }
        }
    }

    @Test
    void badSettingsAreNamedBeforeAnyWork() {
        try (Arena arena = Arena.ofShared()) {
            assertEquals("the UFM needs at least 2 classes, got 1",
                    assertThrows(IllegalArgumentException.class, () -> new SphericalUfm(1, 1, 2)).getMessage());
            assertEquals("the UFM needs a dimension of at least 1, got 0",
                    assertThrows(IllegalArgumentException.class, () -> new SphericalUfm(2, 1, 0)).getMessage());
            assertEquals("tau must be finite and > 0, got 0.0", assertThrows(IllegalArgumentException.class,
                    () -> UfmTraining.builder(new SphericalUfm(2, 1, 2), pool).taus(10, 0)).getMessage());
            assertEquals("the tied UFM (H = W) has one feature per class, got 2", assertThrows(
                    IllegalArgumentException.class, () -> UfmTraining.builder(new SphericalUfm(3, 2, 2), pool)
                            .variant(UfmVariant.TIED).start(arena, 1)).getMessage());
            FloatMatrix w = RandomMatrices.unitRows(arena, 3, 2, 1, pool);
            FloatMatrix h = RandomMatrices.unitRows(arena, 5, 2, 1, pool);
            assertEquals("the initial features is 5 x 2 but this UFM needs 6 x 2", assertThrows(
                    IllegalArgumentException.class, () -> UfmTraining.builder(new SphericalUfm(3, 2, 2), pool)
                            .start(arena, w, h)).getMessage());
            FloatMatrix off = FloatMatrix.of(arena, 3, 2, new float[] {1, 0, 0, 1, 2, 0});
            assertEquals("row 2 of the initial classifier is 1.0 away from unit norm (tolerance 1e-4)", assertThrows(
                    IllegalArgumentException.class, () -> UfmTraining.builder(new SphericalUfm(3, 1, 2), pool)
                            .start(arena, off, w)).getMessage());
            UfmTraining adam = UfmTraining.builder(new SphericalUfm(3, 1, 2), pool).method(TrainingMethod.ADAM)
                    .start(arena, 1);
            assertFalse(adam.done());
            assertEquals("the checkpoint holds 0 optimiser state arrays, adam needs 2", assertThrows(
                    IllegalArgumentException.class, () -> adam.resumeAt(0, Double.NaN, java.util.List.of(), 0))
                    .getMessage());
        }
    }
}
