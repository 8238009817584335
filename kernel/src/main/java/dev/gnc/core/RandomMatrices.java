package dev.gnc.core;

import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/**
 * Random test and initialisation data. Rows are filled in chunks of {@value #CHUNK}, chunk c from
 * its own stream {@code seed + c}, so a matrix depends on the seed alone, whatever the pool.
 */
public final class RandomMatrices {
    static final int CHUNK = 4096;

    private RandomMatrices() {
    }

    /** A {@code rows x cols} matrix whose rows are uniform on the unit sphere (Gaussian, then normalised in float64). */
    public static FloatMatrix unitRows(Arena arena, long rows, int cols, long seed, WorkPool pool) {
        if (cols < 1) {
            throw new IllegalArgumentException("unit rows need at least one column, got " + cols);
        }
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        int chunks = (int) ((rows + CHUNK - 1) / CHUNK);
        pool.run(chunks, c -> {
            SplittableRandom random = new SplittableRandom(seed + c);
            double[] values = new double[cols];
            for (long i = (long) c * CHUNK; i < Math.min(rows, (long) (c + 1) * CHUNK); i++) {
                unitVector(random, values);
                for (int j = 0; j < cols; j++) {
                    m.set(i, j, (float) values[j]);
                }
            }
        });
        return m;
    }

    /** Fills {@code values} with a uniform random unit vector: Gaussian, then normalised in float64. */
    public static void unitVector(SplittableRandom random, double[] values) {
        double norm;
        do {
            norm = 0;
            for (int j = 0; j < values.length; j++) {
                values[j] = random.nextGaussian();
                norm += values[j] * values[j];
            }
        } while (norm == 0);
        double scale = 1 / Math.sqrt(norm);
        for (int j = 0; j < values.length; j++) {
            values[j] *= scale;
        }
    }

    /** {@code n} labels uniform in {@code [0, classes)}. */
    public static Labels uniformLabels(Arena arena, long n, int classes, long seed) {
        if (classes < 1) {
            throw new IllegalArgumentException("labels need at least one class, got " + classes);
        }
        Labels y = Labels.allocate(arena, n);
        SplittableRandom random = new SplittableRandom(seed);
        for (long i = 0; i < n; i++) {
            y.set(i, random.nextInt(classes));
        }
        return y;
    }
}
