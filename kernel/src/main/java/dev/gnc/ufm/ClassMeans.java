package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.util.Arrays;

/**
 * The classifier of {@link UfmVariant#CLASS_MEANS}: each row of W the normalised mean of its
 * class's n features. Summed in float64, so W does not depend on the order the n rows are added in.
 */
final class ClassMeans {
    /** Classes one task of the pool normalises. */
    private static final int CHUNK = 4096;

    private ClassMeans() {
    }

    /**
     * Writes w_k = mean_k / |mean_k| for every class, from features {@code h} (nK x d, class k's
     * rows at [k n, (k + 1) n)).
     *
     * @throws IllegalStateException when a class's features sum to zero, so its mean has no direction
     */
    static void write(FloatMatrix h, int perClass, FloatMatrix w, WorkPool pool) {
        int classes = (int) w.rows(), d = (int) w.cols();
        pool.run((classes + CHUNK - 1) / CHUNK, c -> {
            double[] mean = new double[d];
            for (int k = c * CHUNK; k < Math.min(classes, (c + 1) * CHUNK); k++) {
                Arrays.fill(mean, 0);
                for (long r = (long) k * perClass; r < (long) (k + 1) * perClass; r++) {
                    for (int p = 0; p < d; p++) {
                        mean[p] += h.get(r, p);
                    }
                }
                double sq = 0;
                for (double v : mean) {
                    sq += v * v;
                }
                if (sq == 0) {
                    throw new IllegalStateException("the features of class " + k + " sum to zero: its mean has no "
                            + "direction for the class-means classifier");
                }
                double norm = Math.sqrt(sq);
                for (int p = 0; p < d; p++) {
                    w.set(k, p, (float) (mean[p] / norm));
                }
            }
        });
    }
}
