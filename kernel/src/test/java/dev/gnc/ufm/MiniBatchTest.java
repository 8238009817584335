package dev.gnc.ufm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniBatchTest {
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

    @Test
    void batchesAreDistinctSortedAndAFunctionOfSeedAndStep() {
        BatchSampler sampler = new BatchSampler(7, 100, 30);
        int[] a = sampler.rows(5);
        assertEquals(30, a.length);
        assertEquals(30, Arrays.stream(a).distinct().count());
        assertTrue(Arrays.stream(a).allMatch(r -> r >= 0 && r < 100));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        assertArrayEquals(sorted, a);
        assertArrayEquals(a, new BatchSampler(7, 100, 30).rows(5));
        assertNotEquals(Arrays.toString(a), Arrays.toString(sampler.rows(6)));
        assertNotEquals(Arrays.toString(a), Arrays.toString(new BatchSampler(8, 100, 30).rows(5)));
        assertArrayEquals(java.util.stream.IntStream.range(0, 9).toArray(), new BatchSampler(1, 9, 9).rows(3));
        int[] counts = new int[10]; // uniform: over many steps every row is drawn about equally often
        BatchSampler small = new BatchSampler(3, 10, 3);
        for (int s = 0; s < 10_000; s++) {
            for (int r : small.rows(s)) {
                counts[r]++;
            }
        }
        for (int c : counts) {
            assertEquals(3000, c, 200);
        }
    }

    @Test
    void schedulesFollowTheirFormulas() {
        assertEquals(0.5, LearningRateSchedule.CONSTANT.at(0.5, 70, 100));
        assertEquals(0.5, LearningRateSchedule.COSINE.at(0.5, 0, 100));
        assertEquals(0.25, LearningRateSchedule.COSINE.at(0.5, 50, 100), 1e-15);
        assertEquals(0.5, LearningRateSchedule.STEP.at(0.5, 49, 100));
        assertEquals(0.05, LearningRateSchedule.STEP.at(0.5, 50, 100), 1e-15);
        assertEquals(0.005, LearningRateSchedule.STEP.at(0.5, 75, 100), 1e-15);
    }

    /**
     * A joint mini-batch RGD step against the float64 reference: the batch's mean loss, W and the
     * batch rows of H stepped from the same point, the other rows of H untouched (1e-5 per entry).
     */
    @Test
    void jointStepsFollowTheReferenceOnTheirBatch() {
        SphericalUfm ufm = new SphericalUfm(5, 4, 3);
        int batch = 7;
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix w0 = RandomMatrices.unitRows(arena, 5, 3, 21, pool);
            FloatMatrix h0 = RandomMatrices.unitRows(arena, 20, 3, 22, pool);
            UfmTraining run = UfmTraining.builder(ufm, pool).method(TrainingMethod.RGD).learningRate(0.3).taus(8)
                    .stepsPerStage(10).batch(batch).seed(9).schedule(LearningRateSchedule.COSINE).start(arena, w0, h0);
            double[][] w = rows(w0), h = rows(h0);
            BatchSampler sampler = new BatchSampler(9, 20, batch);
            for (int s = 0; s < 10; s++) {
                int[] picked = sampler.rows(s);
                double[][] hb = new double[batch][];
                int[] labels = new int[batch];
                for (int b = 0; b < batch; b++) {
                    hb[b] = h[picked[b]];
                    labels[b] = picked[b] / 4;
                }
                Object[] ref = ReferenceUfm.lossAndGradients(w, hb, labels, 8);
                double lr = LearningRateSchedule.COSINE.at(0.3, s, 10);
                ReferenceUfm.rgdStep(w, (double[][]) ref[1], lr);
                ReferenceUfm.rgdStep(hb, (double[][]) ref[2], lr); // rows of h, moved in place
                run.step();
                double[][] gotW = rows(run.classifier()), gotH = rows(run.features());
                for (int i = 0; i < 5; i++) {
                    assertArrayEquals(w[i], gotW[i], 1e-5, "W row " + i + ", step " + (s + 1));
                }
                for (int i = 0; i < 20; i++) {
                    assertArrayEquals(h[i], gotH[i], 1e-5, "H row " + i + ", step " + (s + 1));
                }
            }
        }
    }

    @Test
    void miniBatchSettingsAreChecked() {
        try (Arena arena = Arena.ofShared()) {
            SphericalUfm ufm = new SphericalUfm(4, 2, 3);
            assertEquals("mini-batch training takes fixed steps: a line search needs the full objective (use "
                    + "--no-line-search, or no --batch)", assertThrows(IllegalArgumentException.class,
                    () -> UfmTraining.builder(ufm, pool).batch(2).start(arena, 1)).getMessage());
            assertEquals("a batch of 9 features is larger than the 8 features of this UFM", assertThrows(
                    IllegalArgumentException.class, () -> UfmTraining.builder(ufm, pool).method(TrainingMethod.RGD)
                            .batch(9).start(arena, 1)).getMessage());
        }
    }
}
