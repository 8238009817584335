package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.util.Objects;

/**
 * The neural-collapse measurements of a classifier W ({@code K x d}) and features H
 * ({@code N x d}) with labels y (N values in {@code [0, K)}).
 *
 * @param gnc1          variability collapse {@code tr(Sigma_W Sigma_B^+) / K} (see
 *                      {@link ClassStatistics} for the scatters); eigenvalues of
 *                      {@code Sigma_B} at or below {@code d * 2^-48 * max|lambda|} count as zero,
 *                      so GNC1 is 0 when all class means coincide; NaN, undefined, when every
 *                      class has exactly one sample (see {@link CollapseGeometry})
 * @param gnc3          self-duality {@code (1/K) sum_k (1 - cos(w_k, mu_k - mu_G))}, in [0, 2];
 *                      a zero vector has cosine 0 with anything
 * @param gnc3Uncentred {@code (1/K) sum_k (1 - cos(w_k, mu_k))}, the same without centring
 * @param accuracy      fraction of samples with {@code argmax_k <h_i, w_k> = y_i}, ties going to
 *                      the smaller class index, from float32 logits
 * @param nccAccuracy   fraction of samples whose nearest class mean, {@code argmin_k ||h_i - mu_k||},
 *                      is their own, ties and precision as for {@code accuracy}
 */
public record CollapseMetrics(double gnc1, double gnc3, double gnc3Uncentred, double accuracy, double nccAccuracy) {

    /**
     * All five metrics, with the class statistics computed on the way and dropped, and
     * {@code Sigma_B} decomposed by {@link SymmetricEigensolver#preferred()}. Costs one pass over
     * H for the statistics ({@code N d^2 / 2} multiply-adds) and two fused argmax passes
     * ({@code N K d} each), which dominate when {@code K > d}.
     *
     * @throws IllegalArgumentException before any work, naming the offending value: W and H of
     *                                  different widths, {@code y.length() != h.rows()}, a label
     *                                  outside {@code [0, K)} (with its position), a class with no
     *                                  samples, a non-finite entry of W or H, or inputs in a
     *                                  confined arena with a multi-threaded pool
     */
    public static CollapseMetrics compute(FloatMatrix w, FloatMatrix h, Labels y, WorkPool pool) {
        CollapseInputs.classifier(w, h, pool);
        SymmetricEigensolver solver = SymmetricEigensolver.preferred(); // may fail: OpenBLAS asked for and missing
        try (Arena arena = Arena.ofShared()) {
            ClassStatistics stats = ClassStatistics.compute(h, y, (int) w.rows(), pool, arena); // checks H and y
            return of(w, h, y, stats, pool, solver);
        }
    }

    /**
     * All five metrics from statistics already computed, for a caller that also wants the class
     * means; {@code stats} must be those of {@code h} and {@code y}, which is not checked beyond
     * their shapes.
     *
     * @throws IllegalArgumentException as {@link #compute(FloatMatrix, FloatMatrix, Labels, WorkPool)},
     *                                  and when the shapes of {@code stats} are not those of W and H
     */
    public static CollapseMetrics compute(FloatMatrix w, FloatMatrix h, Labels y, ClassStatistics stats,
            WorkPool pool, SymmetricEigensolver solver) {
        Objects.requireNonNull(stats, "class statistics");
        Objects.requireNonNull(solver, "eigensolver");
        CollapseInputs.classifier(w, h, pool);
        if (stats.classes() != w.rows() || stats.dimensions() != w.cols() || stats.samples() != h.rows()) {
            throw new IllegalArgumentException(stats + " do not belong to a " + w.rows() + " x " + w.cols()
                    + " classifier and " + h.rows() + " features");
        }
        CollapseInputs.features(h, y, w.rows(), pool);
        return of(w, h, y, stats, pool, solver);
    }

    private static CollapseMetrics of(FloatMatrix w, FloatMatrix h, Labels y, ClassStatistics stats, WorkPool pool,
            SymmetricEigensolver solver) {
        CollapseGeometry geometry = CollapseGeometry.of(w, stats, solver);
        double accuracy = ArgmaxAccuracy.top1(w, null, h, y, pool);
        double ncc = ArgmaxAccuracy.nearestCentre(stats, h, y, pool);
        return new CollapseMetrics(geometry.gnc1(), geometry.gnc3(), geometry.gnc3Uncentred(), accuracy, ncc);
    }
}
