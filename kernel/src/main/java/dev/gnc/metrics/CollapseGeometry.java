package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import java.util.Objects;

/**
 * The collapse metrics that need no pass over K classes per feature: GNC1 from the class scatters
 * and one d x d eigenproblem ({@code O(K d^2)} after the statistics), GNC3 from the class means
 * ({@code O(K d)}). Cheap at any K, so a training run can log them at every measurement.
 *
 * @param gnc1          variability collapse {@code tr(Sigma_W Sigma_B^+) / K}, NaN when every
 *                      class has exactly one sample: there is then no within-class scatter to
 *                      collapse, and 0 would claim a collapse that was never measured
 * @param gnc3          self-duality {@code (1/K) sum_k (1 - cos(w_k, mu_k - mu_G))}, in [0, 2]
 * @param gnc3Uncentred {@code (1/K) sum_k (1 - cos(w_k, mu_k))}
 */
public record CollapseGeometry(double gnc1, double gnc3, double gnc3Uncentred) {

    /** Whether GNC1 is defined: some class has two or more samples. */
    public boolean gnc1Defined() {
        return !Double.isNaN(gnc1);
    }

    /**
     * GNC1 and GNC3 of classifier {@code w} (K x d) against {@code stats}, the statistics of its
     * features; {@code Sigma_B} decomposed by {@code solver}.
     *
     * @throws IllegalArgumentException when W's shape is not the statistics' K x d
     */
    public static CollapseGeometry of(FloatMatrix w, ClassStatistics stats, SymmetricEigensolver solver) {
        Objects.requireNonNull(w, "classifier W");
        Objects.requireNonNull(stats, "class statistics");
        Objects.requireNonNull(solver, "eigensolver");
        if (stats.classes() != w.rows() || stats.dimensions() != w.cols()) {
            throw new IllegalArgumentException(stats + " do not belong to a " + w.rows() + " x " + w.cols()
                    + " classifier");
        }
        double gnc1 = stats.samples() == stats.classes() ? Double.NaN : VariabilityCollapse.gnc1(stats, solver);
        double[] gnc3 = SelfDuality.gnc3(w, stats);
        return new CollapseGeometry(gnc1, gnc3[0], gnc3[1]);
    }
}
