package dev.gnc.examples;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import dev.gnc.loss.CrossEntropyResult;
import java.lang.foreign.Arena;

/** One fused cross-entropy step over 100,000 classes, as another JVM project would write it. */
public final class EmbeddingExample {
    public static void main(String[] args) {
        int classes = 100_000, batch = 256, dim = 32;
        // a shared arena: the pool's threads read and write these buffers
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(WorkPool.defaultThreads())) {
            FloatMatrix w = RandomMatrices.unitRows(arena, classes, dim, 1, pool); // K x d, off-heap
            FloatMatrix h = RandomMatrices.unitRows(arena, batch, dim, 2, pool);   // N x d
            Labels y = RandomMatrices.uniformLabels(arena, batch, classes, 3);

            // heap arrays enter and leave at the edge, by copy
            float[] firstRow = new float[dim];
            firstRow[0] = 1f;
            h.rows(0, 1).copyFrom(FloatMatrix.of(arena, 1, dim, firstRow));

            FloatMatrix dw = FloatMatrix.allocate(arena, classes, dim);
            FloatMatrix dh = FloatMatrix.allocate(arena, batch, dim);
            CrossEntropy loss = CrossEntropy.builder(30).pool(pool).labelSmoothing(0.1).topK(5).build();
            CrossEntropyResult result = loss.forwardBackward(w, null, h, y,
                    CrossEntropyOutputs.create().classifierGradient(dw).featureGradient(dh));

            float[] gradientOfFirstFeature = dh.rows(0, 1).toArray();
            System.out.printf("loss %.4f, top-5 hits %d of %d, |dL/dh_0|_1 = %.3g%n", result.loss(), result.topK(),
                    result.samples(), l1(gradientOfFirstFeature));
        }
    }

    private static double l1(float[] values) {
        double sum = 0;
        for (float v : values) {
            sum += Math.abs(v);
        }
        return sum;
    }
}
