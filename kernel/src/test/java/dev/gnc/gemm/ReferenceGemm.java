package dev.gnc.gemm;

/**
 * The float64 scalar oracle for {@link Gemm}: plain loops on heap arrays, summing in double.
 * Matrices are row-major {@code double[]} with explicit shapes.
 */
public final class ReferenceGemm {
    private ReferenceGemm() {
    }

    /**
     * Returns {@code alpha * op(A) * op(B) + beta * C} as a new row-major {@code m x n} array,
     * with A and B given as their stored (untransposed) row-major arrays.
     */
    public static double[] multiply(GemmShape shape, int m, int n, int k, double alpha, float[] a, float[] b,
            double beta, float[] c) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    double aip = shape == GemmShape.AT_B ? a[p * m + i] : a[i * k + p];
                    double bpj = shape == GemmShape.A_BT ? b[j * k + p] : b[p * n + j];
                    sum += aip * bpj;
                }
                out[i * n + j] = alpha * sum + (beta == 0 ? 0 : beta * c[i * n + j]);
            }
        }
        return out;
    }

    /**
     * A tolerance for float32 products of length {@code k} with entries of magnitude at most 1:
     * rounding grows at worst like k * 2^-24 per element, plus a small absolute floor.
     */
    public static double tolerance(int k) {
        return 1e-6 + 4 * Math.max(k, 1) * 0x1p-24;
    }
}
