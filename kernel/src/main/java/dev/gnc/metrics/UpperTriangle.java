package dev.gnc.metrics;

/**
 * Symmetric d x d float64 matrices accumulated in their upper triangle (row-major, entries
 * {@code p <= q}) and mirrored once at the end: half the work of full outer products.
 */
final class UpperTriangle {
    private UpperTriangle() {
    }

    /**
     * {@code a[p][q] += u[p] * v[q]} for {@code p <= q}. A plain multiply and add, never fused, so
     * the sums are the same whether the JIT vectorises the loop or not.
     */
    static void addOuter(double[] a, int d, double[] u, double[] v) {
        for (int p = 0; p < d; p++) {
            double up = u[p];
            int row = p * d;
            for (int q = p; q < d; q++) {
                a[row + q] += up * v[q];
            }
        }
    }

    /** {@code a += b} on the upper triangle. */
    static void add(double[] a, double[] b, int d) {
        for (int p = 0; p < d; p++) {
            for (int q = p; q < d; q++) {
                a[p * d + q] += b[p * d + q];
            }
        }
    }

    /** Copies the upper triangle onto the lower one, making {@code a} exactly symmetric. */
    static void mirror(double[] a, int d) {
        for (int p = 0; p < d; p++) {
            for (int q = p + 1; q < d; q++) {
                a[q * d + p] = a[p * d + q];
            }
        }
    }
}
