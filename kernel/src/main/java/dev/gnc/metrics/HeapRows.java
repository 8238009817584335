package dev.gnc.metrics;

import dev.gnc.kernel.FloatMatrix;
import dev.gnc.kernel.WorkPool;

/**
 * A heap copy of the rows of a float32 matrix, for the scalar float64 arithmetic the one-vs-rest
 * solves and checks do on arbitrary rows: each scalar read from a shared arena pays a liveness
 * check, which cost more than the arithmetic. Rows are held in chunks of at most 2^20 rows, so
 * K d may exceed an array's 2^31 elements.
 */
final class HeapRows {
    private static final int SHIFT = 20;
    private static final int MASK = (1 << SHIFT) - 1;

    private final float[][] chunks;
    private final int d;

    HeapRows(FloatMatrix m, WorkPool pool) {
        this.d = m.cols();
        int count = (int) ((m.rows() + MASK) >> SHIFT);
        this.chunks = new float[count][];
        pool.run(count, chunk -> {
            long from = (long) chunk << SHIFT;
            long to = Math.min(m.rows(), from + (1L << SHIFT));
            chunks[chunk] = m.rows(from, to).toArray();
        });
    }

    /** sum_c row_i[c] row_j[c] in float64 (exact products, rounded sums). */
    double dot(int i, int j) {
        float[] a = chunks[i >>> SHIFT];
        float[] b = chunks[j >>> SHIFT];
        int ai = (i & MASK) * d;
        int bj = (j & MASK) * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += (double) a[ai + c] * b[bj + c];
        }
        return s;
    }

    /** sum_c row_j[c] h[c] in float64. */
    double dot(int j, double[] h) {
        float[] a = chunks[j >>> SHIFT];
        int aj = (j & MASK) * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += a[aj + c] * h[c];
        }
        return s;
    }

    /** out[c] = row_i[c] - row_j[c] in float64 (exact), written from {@code at}. */
    void difference(int i, int j, double[] out, int at) {
        float[] a = chunks[i >>> SHIFT];
        float[] b = chunks[j >>> SHIFT];
        int ai = (i & MASK) * d;
        int bj = (j & MASK) * d;
        for (int c = 0; c < d; c++) {
            out[at + c] = (double) a[ai + c] - b[bj + c];
        }
    }
}
