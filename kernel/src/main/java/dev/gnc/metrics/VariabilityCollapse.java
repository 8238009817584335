package dev.gnc.metrics;

/**
 * GNC1, {@code tr(Sigma_W Sigma_B^+) / K}, with the pseudo-inverse taken through the
 * eigendecomposition {@code Sigma_B = sum_j lambda_j v_j v_j^T}:
 * <pre>
 *   tr(Sigma_W Sigma_B^+) = sum over lambda_j > threshold of v_j^T Sigma_W v_j / lambda_j
 * </pre>
 * {@code Sigma_B} has rank at most {@code min(K - 1, d)}, so with {@code K <= d} some of its
 * eigenvalues are zero and come out of the solver as rounding noise of either sign. Dividing by
 * them would make GNC1 noise, hence {@link #threshold}.
 */
final class VariabilityCollapse {
    private VariabilityCollapse() {
    }

    /**
     * Eigenvalues of {@code Sigma_B} at or below this are treated as zero:
     * {@code d * 2^-48 * max_j |lambda_j|}, sixteen times the usual rank tolerance
     * {@code d * 2^-52 * lambda_max}. That one covers the solver's error alone, but
     * {@code Sigma_B} is itself a rounded sum of outer products: with both, its zero eigenvalues
     * reached 0.6 of the usual tolerance (d = 3, LAPACK, over a few thousand random problems with
     * {@code K <= d}); here they stay over 25 times below. What is dropped is harmless:
     * an eigenvalue below this means the class means spread along its direction by less than
     * {@code sqrt(d) 2^-24} (float32's resolution) of their largest spread. All zero when
     * {@code Sigma_B = 0} (every class mean the same), and GNC1 is then 0.
     */
    static double threshold(double[] eigenvalues) {
        double max = 0;
        for (double lambda : eigenvalues) {
            max = Math.max(max, Math.abs(lambda));
        }
        return max * eigenvalues.length * 0x1p-48;
    }

    /** GNC1 of {@code stats}, decomposing {@code Sigma_B} with {@code solver}. */
    static double gnc1(ClassStatistics stats, SymmetricEigensolver solver) {
        int d = stats.dimensions();
        EigenDecomposition between = solver.decompose(stats.betweenClassScatter(), d);
        double[] lambda = between.values();
        double threshold = threshold(lambda);
        double[] within = stats.withinClassScatter();
        double trace = 0;
        for (int j = 0; j < d; j++) {
            if (lambda[j] > threshold) {
                trace += quadraticForm(within, between.vector(j)) / lambda[j];
            }
        }
        return trace / stats.classes();
    }

    /** {@code v^T A v} for a d x d row-major A. */
    private static double quadraticForm(double[] a, double[] v) {
        int d = v.length;
        double sum = 0;
        for (int p = 0; p < d; p++) {
            double row = 0;
            for (int q = 0; q < d; q++) {
                row += a[p * d + q] * v[q];
            }
            sum += v[p] * row;
        }
        return sum;
    }
}
