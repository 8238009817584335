package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * GNC3, the alignment of each classifier row with its class mean, in float64:
 * <pre>
 *   centred    (1/K) sum_k (1 - cos(w_k, mu_k - mu_G))
 *   uncentred  (1/K) sum_k (1 - cos(w_k, mu_k))
 * </pre>
 * A zero vector has no direction, so its cosine with anything is taken as 0 and its class adds 1:
 * neither aligned nor opposed. This costs K d operations, negligible beside the statistics.
 */
final class SelfDuality {
    private SelfDuality() {
    }

    /** {@code {centred, uncentred}} GNC3 of classifier {@code w} (K x d) against the means of {@code stats}. */
    static double[] gnc3(FloatMatrix w, ClassStatistics stats) {
        int k = stats.classes();
        int d = stats.dimensions();
        MemorySegment means = stats.means();
        double[] global = stats.globalMean();
        double[] row = new double[d];
        double[] mean = new double[d];
        double[] centred = new double[d];
        double sumCentred = 0;
        double sumUncentred = 0;
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < d; p++) {
                row[p] = w.get(c, p);
                mean[p] = means.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) c * d + p);
                centred[p] = mean[p] - global[p];
            }
            sumCentred += 1 - cosine(row, centred);
            sumUncentred += 1 - cosine(row, mean);
        }
        return new double[] {sumCentred / k, sumUncentred / k};
    }

    /**
     * {@code <u, v> / sqrt(<u, u> <v, v>)}, clamped to [-1, 1], 0 when either is zero. One square
     * root of the product rather than a product of two roots: {@code sqrt(x * x) == x} exactly,
     * so for v an exact power-of-two multiple of u the cosine is exactly 1. Squared norms of
     * float32 data and of differences of their float64 means lie far inside float64's range (about
     * [1e-100, 1e80] against [1e-308, 1e308]), so the product neither overflows nor underflows.
     */
    static double cosine(double[] u, double[] v) {
        double uv = 0, uu = 0, vv = 0;
        for (int p = 0; p < u.length; p++) {
            uv += u[p] * v[p];
            uu += u[p] * u[p];
            vv += v[p] * v[p];
        }
        if (uu == 0 || vv == 0) {
            return 0;
        }
        return Math.max(-1, Math.min(1, uv / Math.sqrt(uu * vv)));
    }
}
