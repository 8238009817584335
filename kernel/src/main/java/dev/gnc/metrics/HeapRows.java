package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;

/**
 * A heap copy of the rows of a float32 matrix, for the scalar float64 arithmetic the one-vs-rest
 * solves and checks do on arbitrary rows: each scalar read from a shared arena pays a liveness
 * check, which cost more than the arithmetic. Rows are held in chunks of a power of two rows of at
 * most 2^26 floats each, so K d may exceed an array's 2^31 elements. The copy doubles W's memory.
 */
final class HeapRows {
    private final float[][] chunks;
    private final int d;
    private final int shift; // rows per chunk = 2^shift
    private final int mask;

    HeapRows(FloatMatrix m, WorkPool pool) {
        this.d = m.cols();
        this.shift = Math.max(0, 26 - (32 - Integer.numberOfLeadingZeros(d - 1)));
        this.mask = (1 << shift) - 1;
        int count = (int) ((m.rows() + mask) >> shift);
        this.chunks = new float[count][];
        pool.run(count, chunk -> {
            long from = (long) chunk << shift;
            long to = Math.min(m.rows(), from + (1L << shift));
            chunks[chunk] = m.rows(from, to).toArray();
        });
    }

    /** sum_c row_i[c] row_j[c] in float64 (exact products, rounded sums). */
    double dot(int i, int j) {
        float[] a = chunks[i >>> shift];
        float[] b = chunks[j >>> shift];
        int ai = (i & mask) * d;
        int bj = (j & mask) * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += (double) a[ai + c] * b[bj + c];
        }
        return s;
    }

    /** sum_c row_j[c] h[c] in float64. */
    double dot(int j, double[] h) {
        float[] a = chunks[j >>> shift];
        int aj = (j & mask) * d;
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += a[aj + c] * h[c];
        }
        return s;
    }

    /** out[c] = row_i[c] - row_j[c] in float64 (exact), written from {@code at}. */
    void difference(int i, int j, double[] out, int at) {
        float[] a = chunks[i >>> shift];
        float[] b = chunks[j >>> shift];
        int ai = (i & mask) * d;
        int bj = (j & mask) * d;
        for (int c = 0; c < d; c++) {
            out[at + c] = (double) a[ai + c] - b[bj + c];
        }
    }
}
