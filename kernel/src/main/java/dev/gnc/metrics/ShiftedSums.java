package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One task's share of the streaming pass of {@link ClassStatistics}: over its rows i, with
 * {@code x_i = h_i - s_{y_i}} and {@code s_k} the first row of class k,
 * <pre>
 *   a_k = sum_{i : y_i = k} x_i            (per class, K x d)
 *   S   = sum_i x_i x_i^T                  (one d x d matrix, upper triangle)
 * </pre>
 * in float64. A difference {@code h_i - s_k} of two floats is exact in float64 unless their
 * magnitudes differ by more than 2^29 (and then off by half an ulp), so the rounding that matters
 * is in the sums.
 */
final class ShiftedSums {
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;

    private final int d;
    /** a_k, K x d float64, row-major. */
    final MemorySegment sums;
    /** S, d x d, upper triangle. */
    final double[] scatter;

    /** Zero sums for {@code classes} classes of dimension {@code d}, off-heap in {@code arena}. */
    ShiftedSums(Arena arena, int classes, int d) {
        this.d = d;
        this.sums = arena.allocate(ValueLayout.JAVA_DOUBLE, (long) classes * d);
        this.scatter = new double[d * d];
    }

    /** Adds rows {@code [from, to)} of {@code h}, shifting each by the first row of its class. */
    void add(FloatMatrix h, Labels y, long[] firstRows, long from, long to) {
        MemorySegment hs = h.segment();
        float[] row = new float[d];
        float[] shift = new float[d];
        double[] x = new double[d];
        for (long i = from; i < to; i++) {
            int k = y.get(i);
            MemorySegment.copy(hs, FLOAT, h.byteOffset(i, 0), row, 0, d);
            MemorySegment.copy(hs, FLOAT, h.byteOffset(firstRows[k], 0), shift, 0, d);
            long at = (long) k * d;
            for (int p = 0; p < d; p++) {
                x[p] = (double) row[p] - shift[p];
                sums.setAtIndex(DOUBLE, at + p, sums.getAtIndex(DOUBLE, at + p) + x[p]);
            }
            UpperTriangle.addOuter(scatter, d, x, x);
        }
    }
}
